import type { PolitePolling } from './stats/polite-polling.ts';

/**
 * The bindings the worker reads. `wrangler types` declares both as always present (`Env`),
 * but a deploy without the KV binding is a configuration mistake we answer with a clear
 * 503, so the app treats each one as possibly missing. `Env` is assignable to this type.
 */
export type WorkerBindings = {
  FEEDS?: KVNamespace;
  FEED_MAX_AGE?: string;
  MEMORY_CACHE_SECONDS?: string;
  BUILD_POINTER_SECONDS?: string;
  /** D1: reader statistics (migrations/0002_stats.sql) and the hub's subscriptions. */
  DB?: D1Database;
  /** Polite polling: one Durable Object per reader (src/worker/stats/polite-polling.ts). */
  POLITENESS?: DurableObjectNamespace<PolitePolling>;
  /** Secret: the bearer token GET /stats and /stats.json require; unset, both answer 401. */
  STATS_TOKEN?: string;
  STATS_ENABLED?: string;
  STATS_FLUSH_SECONDS?: string;
  POLITE_POLLING?: string;
};

/**
 * Per-request values: the request URL, parsed once, and its path spelled canonically
 * (undefined when it cannot be decoded), worked out by redirectToCanonical for
 * serveDocument to use; and, for the stats, the subscription document the request names
 * (null: none), worked out by subscriptionPathOf.
 */
export type WorkerVariables = {
  requestUrl: URL;
  canonicalPath: string | undefined;
  subscriptionPath: string | null;
};

export type WorkerEnv = { Bindings: WorkerBindings; Variables: WorkerVariables };
