import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleEntry } from '../core/document-record.ts';
import type { KvSyncTarget } from './kv-sync-target.ts';

export type WranglerResult = { code: number; stdout: string; stderr: string };
/** Runs wrangler with these arguments (injected so the chunking is testable offline). */
export type RunWrangler = (args: string[]) => Promise<WranglerResult>;

export type RemoteKvTargetOptions = {
  run: RunWrangler;
  configPath: string;
  binding: string;
  /** Cloudflare's bulk write takes at most 10,000 pairs per request. */
  maxPairs?: number;
  /**
   * `wrangler kv bulk put` reads its whole file into memory (about 0.7 GB for 51 MB,
   * DESIGN.md), so chunks are capped by size as well as by count.
   */
  maxBytes?: number;
};

/** A sync target on a Cloudflare namespace, through `wrangler kv ... --remote`. */
export function createRemoteKvTarget(options: RemoteKvTargetOptions): KvSyncTarget {
  const maxPairs = options.maxPairs ?? 10_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const common = ['--binding', options.binding, '--remote', '--config', options.configPath];
  const wrangler = async (args: string[]): Promise<string> => {
    const result = await options.run(args);
    if (result.code !== 0) {
      throw new Error(
        `wrangler ${args.slice(0, 3).join(' ')} failed (${result.code}): ${result.stderr.trim()}`,
      );
    }
    return result.stdout;
  };
  return {
    async readText(key) {
      const stdout = await wrangler(['kv', 'key', 'get', key, '--text', ...common]);
      // wrangler prints this (and exits 0) for a key that does not exist.
      return stdout.trim() === 'Value not found' ? null : stdout;
    },
    async putEntries(entries, onProgress) {
      let stored = 0;
      for (const chunk of chunkBySize(entries, maxPairs, maxBytes)) {
        await withChunkFile(chunk, (file) => wrangler(['kv', 'bulk', 'put', file, ...common]));
        stored += chunk.length;
        onProgress?.(stored);
      }
    },
    async deleteKeys(keys) {
      for (let start = 0; start < keys.length; start += maxPairs) {
        const chunk = keys.slice(start, start + maxPairs);
        await withChunkFile(chunk, (file) =>
          wrangler(['kv', 'bulk', 'delete', file, '--force', ...common]),
        );
      }
    },
  };
}

/** Splits entries into runs of at most `maxPairs` entries and about `maxBytes` of JSON. */
export function chunkBySize(
  entries: readonly BundleEntry[],
  maxPairs: number,
  maxBytes: number,
): BundleEntry[][] {
  const chunks: BundleEntry[][] = [];
  let current: BundleEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry));
    if (current.length > 0 && (current.length >= maxPairs || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

async function withChunkFile<T>(content: unknown, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-kv-chunk-'));
  try {
    const file = join(dir, 'chunk.json');
    await writeFile(file, JSON.stringify(content));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
