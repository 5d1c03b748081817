// edgefeed worker entry: serves pre-rendered feed documents from the FEEDS KV namespace, and
// is the WebSub hub of its own feeds (deliveries through HUB_QUEUE).
import { app } from './app.ts';
import { consumeHubQueue } from './hub/consume-hub-queue.ts';

// Durable Object classes must be exported by the entry module (wrangler.toml).
export { PolitePolling } from './stats/polite-polling.ts';

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env) => consumeHubQueue(batch, env),
} satisfies ExportedHandler<Env>;
