import type { PolitePolling } from './stats/polite-polling.ts';
import type { PointerRead } from './store/read-pointer.ts';

/**
 * The bindings the worker reads. `wrangler types` declares them as always present (`Env`),
 * but a deploy without the KV binding is a configuration mistake we answer with a clear
 * 503, so the app treats each one as possibly missing. `Env` is assignable to this type.
 */
export type WorkerBindings = {
  FEEDS?: KVNamespace;
  FEED_MAX_AGE?: string;
  MEMORY_CACHE_SECONDS?: string;
  BUILD_POINTER_SECONDS?: string;
  /** D1: the WebSub hub's subscriptions, pending verifications and dead letters
   * (migrations/0001_websub.sql), and the reader statistics (0002_stats.sql). */
  DB?: D1Database;
  /** Content distribution and publish pings (src/worker/hub/hub-message.ts). */
  HUB_QUEUE?: Queue;
  /** Per-client rate limit on POST /hub. */
  HUB_RATE_LIMIT?: RateLimit;
  /** "true" lets callbacks be loopback addresses (npm start); anything else forbids them. */
  HUB_ALLOW_LOOPBACK?: string;
  /** Bearer token of POST /_edgefeed/deployed; a secret, absent from wrangler.toml. */
  DEPLOY_TOKEN?: string;
  /** Polite polling: 256 Durable Objects, a reader's hash picks one (stats/polite-polling.ts). */
  POLITENESS?: DurableObjectNamespace<PolitePolling>;
  /** Secret: the bearer token GET /stats and /stats.json require; unset, both answer 401. */
  STATS_TOKEN?: string;
  STATS_ENABLED?: string;
  /** Secret (its name: src/core/actor-key-secret.ts): the ActivityPub key, PKCS#8 PEM. */
  ACTIVITYPUB_PRIVATE_KEY?: string;
  /** Per-client rate limit on the ActivityPub inboxes. */
  INBOX_RATE_LIMIT?: RateLimit;
  STATS_FLUSH_SECONDS?: string;
  POLITE_POLLING?: string;
};

/**
 * The build pointer as one request sees it: read once, by the servedBuild middleware, before
 * any handler runs, so a request never mixes two builds. Besides what KV holds (a build, no
 * pointer, an invalid one) the namespace may be unbound or fail to answer.
 */
export type ServedPointer = PointerRead | { state: 'unbound' } | { state: 'unreadable' };

/**
 * Per-request values: the build pointer (servedBuild); the request URL, parsed once, and its
 * path spelled canonically (undefined when it cannot be decoded), worked out by
 * redirectToCanonical for serveDocument to use.
 */
export type WorkerVariables = {
  pointer: ServedPointer;
  requestUrl: URL;
  canonicalPath: string | undefined;
  /** For the stats: the subscription document the request names (null: none). */
  subscriptionPath: string | null;
};

export type WorkerEnv = { Bindings: WorkerBindings; Variables: WorkerVariables };
