// edgefeed worker entry: serves pre-rendered feed documents from the FEEDS KV namespace.
import { app } from './app.ts';

// Durable Object classes must be exported by the entry module (wrangler.toml).
export { PolitePolling } from './stats/polite-polling.ts';

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
