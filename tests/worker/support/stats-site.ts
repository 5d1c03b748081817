import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { inject } from 'vitest';
import { app } from '../../../src/worker/app.ts';
import type { WorkerBindings } from '../../../src/worker/bindings.ts';
import { loadBuild } from './load-build.ts';

export const ORIGIN = 'https://feeds.test';
export const STATS_TOKEN = 'test-stats-token';

/**
 * The fixture site as the stats see it: the fixture build's values and pointer in FEEDS
 * (the stats list the served build's documents from them). The D1 schema is applied to
 * every worker test file (tests/worker/support/fresh-file.ts).
 */
export async function loadStatsSite(): Promise<void> {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
}

/**
 * Bindings as wrangler.toml has them (counting and polite polling on: vitest.config.ts
 * turns both off for the other suites), the token set, and every count written at once.
 */
export function statsEnv(overrides: Partial<WorkerBindings> = {}): WorkerBindings {
  return {
    ...env,
    STATS_ENABLED: 'true',
    POLITE_POLLING: 'true',
    STATS_TOKEN,
    STATS_FLUSH_SECONDS: '0',
    ...overrides,
  };
}

/**
 * One request through the worker's app (what its fetch handler calls), its body read as a
 * client would,
 * returned once everything the request left for after the response (`waitUntil`: the
 * stats write) has finished, so a test can read D1 right after it.
 */
export async function fetchSettled(
  path: string,
  init: RequestInit = {},
  bindings: WorkerBindings = statsEnv(),
): Promise<{ response: Response; body: string }> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), bindings, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { response, body };
}

/** Reads every row of a table, for assertions. */
export async function rowsOf<T = Record<string, unknown>>(table: string): Promise<T[]> {
  const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all<T>();
  return results;
}
