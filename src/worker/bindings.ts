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
  /** The WebSub hub's store: subscriptions, pending verifications, dead letters. */
  DB?: D1Database;
  /** Content distribution and publish pings (src/worker/hub/hub-message.ts). */
  HUB_QUEUE?: Queue;
  /** Per-client rate limit on POST /hub. */
  HUB_RATE_LIMIT?: RateLimit;
  /** "true" lets callbacks be loopback addresses (npm start); anything else forbids them. */
  HUB_ALLOW_LOOPBACK?: string;
  /** Bearer token of POST /_edgefeed/deployed; a secret, absent from wrangler.toml. */
  DEPLOY_TOKEN?: string;
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
};

export type WorkerEnv = { Bindings: WorkerBindings; Variables: WorkerVariables };
