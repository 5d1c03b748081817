import { readFileSync } from 'node:fs';

/** The worker's own default (src/worker/cache-control.ts), when wrangler.toml sets none. */
export const DEFAULT_POLL_SECONDS = 300;

/**
 * FEED_MAX_AGE from the `[vars]` table of the worker's wrangler.toml: how long readers and
 * caches may keep a feed, and so how often it is worth polling. Feeds state it to readers
 * (`<ttl>`, `sy:updateFrequency`), so the build reads the one value the worker serves with.
 * Only the `KEY = "digits"` (or bare digits) form is read; anything else, or no file, means
 * the default, as the worker falls back to it too.
 */
export function readPollSeconds(wranglerConfig: string): number {
  let text: string;
  try {
    text = readFileSync(wranglerConfig, 'utf8');
  } catch {
    return DEFAULT_POLL_SECONDS;
  }
  let table = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]*)\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      table = (header[1] ?? '').trim();
      continue;
    }
    if (table !== 'vars') continue;
    const value = /^\s*FEED_MAX_AGE\s*=\s*(?:"(\d{1,9})"|(\d{1,9}))\s*(?:#.*)?$/.exec(line);
    if (value) return Number(value[1] ?? value[2]);
  }
  return DEFAULT_POLL_SECONDS;
}
