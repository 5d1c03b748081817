import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a cache is valid for, part by part: edgefeed's code, and each input besides seeds
 * that shapes the output. Kept apart (not only hashed together) so that a cache written for
 * other inputs can be ignored with the reason said (`whyIgnored`).
 */
export type CacheKeyParts = {
  version: string;
  siteUrl: string;
  hubUrl: string;
  pageSize: string;
  seeds: string;
  config: string;
  taxonomy: string;
  icon: string;
};

export type CacheKey = { key: string; parts: CacheKeyParts };

/** Bumped when the cache's layout changes without a source file changing (never, so far). */
const FORMAT = 'edgefeed-build-cache-5';

/** The cache key for these inputs: their parts, and one hash of all of them. */
export function cacheKeyOf(inputs: Omit<CacheKeyParts, 'version'>): CacheKey {
  const parts: CacheKeyParts = { version: codeDigest(), ...inputs };
  return { key: createHash('sha256').update(JSON.stringify(parts)).digest('hex'), parts };
}

/** A digest that is short enough to keep in a cache file's header. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

/** Why a cache written with `cached` parts cannot serve a build with `current` ones. */
export function whyIgnored(cached: CacheKeyParts, current: CacheKeyParts): string {
  if (cached.version !== current.version) return 'written by another version of edgefeed';
  if (cached.siteUrl !== current.siteUrl)
    return `written for another --site-url, ${cached.siteUrl}`;
  if (cached.hubUrl !== current.hubUrl) return `written for another --hub-url, ${cached.hubUrl}`;
  if (cached.pageSize !== current.pageSize)
    return `written for another --page-size, ${cached.pageSize}`;
  if (cached.seeds !== current.seeds) return `written for another --seeds folder, ${cached.seeds}`;
  if (cached.config !== current.config) return 'written for another site config (--config)';
  if (cached.taxonomy !== current.taxonomy) return 'written for another taxonomy (--taxonomy)';
  return 'written for another site icon';
}

let code: string | undefined;

/** edgefeed's own code: every source file of the compiler and of core/, and FORMAT. */
function codeDigest(): string {
  if (code !== undefined) return code;
  const h = createHash('sha256').update(FORMAT);
  for (const dir of ['../../core', '..']) {
    const abs = fileURLToPath(new URL(`${dir}/`, import.meta.url));
    const names = readdirSync(abs, { recursive: true, encoding: 'utf8' }).sort();
    for (const name of names) {
      if (name.endsWith('.ts')) h.update(name).update(readFileSync(join(abs, name)));
    }
  }
  code = h.digest('base64url').slice(0, 22);
  return code;
}
