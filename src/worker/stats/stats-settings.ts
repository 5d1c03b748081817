import type { WorkerBindings } from '../bindings.ts';

/** Used when STATS_FLUSH_SECONDS is unset or not a whole number of seconds. */
export const DEFAULT_FLUSH_SECONDS = 10;
/**
 * A batch is written once it holds this many entries (counts plus reader sightings), even
 * before its time is up: one D1 batch of about this many statements.
 */
export const MAX_BATCH_ENTRIES = 200;

export type StatsSettings = {
  /** Count requests (STATS_ENABLED, on unless "false"). */
  counting: boolean;
  /** Seconds counts gather before they are written (0: after every request). */
  flushSeconds: number;
  /** Answer 429 to readers that refetch unconditionally too often (POLITE_POLLING). */
  politePolling: boolean;
};

/** Reads the vars; a malformed value falls back to the default rather than failing requests. */
export function statsSettings(env: WorkerBindings): StatsSettings {
  const flush = env.STATS_FLUSH_SECONDS;
  return {
    counting: env.STATS_ENABLED !== 'false',
    flushSeconds:
      flush !== undefined && /^\d{1,4}$/.test(flush) ? Number(flush) : DEFAULT_FLUSH_SECONDS,
    politePolling: env.POLITE_POLLING !== 'false',
  };
}
