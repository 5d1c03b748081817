import { createRequire } from 'node:module';

/** wrangler's Node API (getPlatformProxy, unstable_readConfig…), as its types declare it. */
export type WranglerApi = typeof import('wrangler');

/**
 * wrangler's API, loaded when a command first needs it (a remote deploy given
 * `--namespace-id` never does). Required rather than imported: wrangler ships its API as
 * one 15 MB CommonJS file in a package with no "type", and `import()` of it first reads the
 * whole file to detect its module format and lex its named exports, ~0.25 s of every
 * `npm start` and `deploy --local` (measured here: 1.35 s to import, 1.10 s to require).
 * Node caches it either way: a second call costs nothing.
 */
export function loadWrangler(): WranglerApi {
  return createRequire(import.meta.url)('wrangler') as WranglerApi;
}
