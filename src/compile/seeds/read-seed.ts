import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { z } from 'zod';
import { type Article, ArticleSchema } from '../../core/article-schema.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';
import { decodeSeedText, MAX_SEED_BYTES, tooBig } from './decode-seed-text.ts';
import { fastArticle } from './fast-article.ts';
import { describe, type SeedFile } from './find-seed-files.ts';
import { parseFrontMatter } from './parse-front-matter.ts';
import { parsePlainFrontMatter } from './parse-plain-front-matter.ts';
import { seedSignature } from './seed-signature.ts';

export type SeedResult =
  | {
      status: 'valid';
      file: string;
      article: Article;
      illegalRemoved: number;
      /** Line of each `topics` entry, for problems found after validation (slug clashes). */
      topicLines: number[];
    }
  | { status: 'unpublished'; file: string }
  | { status: 'invalid'; file: string; problems: SeedProblem[] };

/** Room for the largest seed and one byte more; decoding copies the text out of it. */
const scratch = new Uint8Array(MAX_SEED_BYTES + 1);

/**
 * Reads, decodes, parses and validates one seed; every problem in it is reported. The file
 * is opened without blocking and checked before it is read: a FIFO or device named like a
 * seed would otherwise hang the build, and a huge file would be read whole into memory.
 * Synchronous on purpose: it runs in worker threads, where a blocking read is the fastest
 * read there is. Also returns the file's signature for the build cache.
 */
export function readSeed(seed: SeedFile): {
  result: SeedResult;
  signature: string;
  /** A digest of the bytes read: what the file says, whatever its times (seedDigest). */
  digest: string;
} {
  let bytes: Uint8Array;
  let signature = '';
  try {
    const fd = openSync(seed.path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = fstatSync(fd, { bigint: true });
      signature = seedSignature(info);
      if (!info.isFile())
        return {
          result: invalid(seed.name, 0, '(file)', 'not a regular file'),
          signature,
          digest: '',
        };
      const size = Number(info.size);
      if (size > MAX_SEED_BYTES)
        return { result: invalid(seed.name, 1, '(file)', tooBig(size)), signature, digest: '' };
      // One byte more than stat said, to notice a file that grew while it was read. The
      // bytes go into one buffer reused for every seed this thread reads: a fresh one per
      // file was 100,000 backing stores for the garbage collector to finalise.
      const buffer = scratch.subarray(0, size + 1);
      let length = 0;
      for (;;) {
        const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
        length += bytesRead;
        if (bytesRead === 0 || length === buffer.length) break;
      }
      if (length > size)
        return {
          result: invalid(seed.name, 0, '(file)', 'changed while being read'),
          signature,
          digest: '',
        };
      bytes = buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { result: invalid(seed.name, 0, '(file)', describe(error)), signature, digest: '' };
  }
  return { result: validateSeedBytes(seed.name, bytes), signature, digest: seedDigest(bytes) };
}

/**
 * What a seed's items depend on, short: the SHA-256 of its bytes. The article is a function
 * of them (and of edgefeed's code and settings, which the cache key covers), so a seed
 * touched but not changed keeps its digest and renders nothing again.
 */
export function seedDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

export function validateSeedBytes(file: string, bytes: Uint8Array): SeedResult {
  const decoded = decodeSeedText(bytes);
  if (!decoded.ok) return invalid(file, decoded.line, '(file)', decoded.message);
  const plain = parsePlainFrontMatter(decoded.text);
  if (plain) {
    if (plain.data.published === false) return { status: 'unpublished', file };
    // fastArticle gives zod's reading of nearly every seed without zod's allocations; it
    // declines the rest, which zod then reads (and explains, when a seed is invalid).
    const fast = fastArticle(plain.data);
    const parsed = fast ? { success: true, data: fast } : ArticleSchema.safeParse(plain.data);
    if (parsed.success) {
      const { illegalRemoved } = decoded;
      return {
        status: 'valid',
        file,
        article: parsed.data,
        illegalRemoved,
        topicLines: plain.topicLines,
      };
    }
  }
  // The careful path: limits enforced, and every problem located by line.
  const front = parseFrontMatter(decoded.text);
  if (!front.ok) return invalid(file, front.line, '(front matter)', front.message);
  if (front.data.published === false) return { status: 'unpublished', file };

  const parsed = ArticleSchema.safeParse(front.data);
  if (parsed.success) {
    const topicLines = (parsed.data.topics ?? []).map((_, i) => front.lineOf(['topics', i]));
    return {
      status: 'valid',
      file,
      article: parsed.data,
      illegalRemoved: decoded.illegalRemoved,
      topicLines,
    };
  }
  const problems = parsed.error.issues.map((issue) => ({
    file,
    line: front.lineOf(issue.path),
    field: issue.path.join('.') || '(front matter)',
    message: describeIssue(issue, front.data),
  }));
  return { status: 'invalid', file, problems };
}

function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>): string {
  if (issue.code === 'custom' || readPath(data, issue.path) !== undefined) return issue.message;
  const hint =
    'startDateTime' in data || data.type === 'conference'
      ? ' (this looks like an event record, not an article)'
      : '';
  return `missing${hint}`;
}

function readPath(data: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = data;
  for (const key of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

function invalid(file: string, line: number, field: string, message: string): SeedResult {
  return { status: 'invalid', file, problems: [{ file, line, field, message }] };
}
