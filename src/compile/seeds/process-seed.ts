import { emptyTextStats, type TextStats } from '../../core/clean-text.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';
import type { SeedFile } from './find-seed-files.ts';
import { normalizeArticle } from './normalize-article.ts';
import { readSeed } from './read-seed.ts';

/** One seed, read and cleaned: what the rest of the build needs to know about it. */
export type ParsedSeed =
  | {
      status: 'valid';
      article: PublishedArticle;
      text: TextStats;
      /** A digest of the seed's bytes: equal when its items are (readSeed's seedDigest). */
      content: string;
    }
  | { status: 'unpublished' }
  | { status: 'invalid'; problems: SeedProblem[] };

export type SeedOutcome =
  | { file: string; signature: string; status: 'reused' }
  | ({ file: string; signature: string } & ParsedSeed);

/** Reads, validates and cleans one seed (the cache having no answer for it). */
export function processSeed(seed: SeedFile): SeedOutcome {
  const { result, signature, digest } = readSeed(seed);
  return { file: seed.name, signature, ...parsedFrom(result, digest) };
}

function parsedFrom(result: ReturnType<typeof readSeed>['result'], digest: string): ParsedSeed {
  if (result.status !== 'valid') return result;
  const text = emptyTextStats();
  text.illegalRemoved += result.illegalRemoved;
  const article = normalizeArticle(result.file, result.article, text, result.topicLines);
  if (article.title === '') {
    return {
      status: 'invalid',
      problems: [
        {
          file: result.file,
          line: 1,
          field: 'title',
          message: 'empty once characters XML forbids are removed',
        },
      ],
    };
  }
  return { status: 'valid', article, text, content: digest };
}
