/**
 * The bindings the worker reads. `wrangler types` declares both as always present (`Env`),
 * but a deploy without the KV binding is a configuration mistake we answer with a clear
 * 503, so the app treats each one as possibly missing. `Env` is assignable to this type.
 */
export type WorkerBindings = {
  FEEDS?: KVNamespace;
  FEED_MAX_AGE?: string;
  MEMORY_CACHE_SECONDS?: string;
};

/**
 * Per-request values: the request URL, parsed once, and its path spelled canonically
 * (undefined when it cannot be decoded), worked out by redirectToCanonical for
 * serveDocument to use.
 */
export type WorkerVariables = { requestUrl: URL; canonicalPath: string | undefined };

export type WorkerEnv = { Bindings: WorkerBindings; Variables: WorkerVariables };
