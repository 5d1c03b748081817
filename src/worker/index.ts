// edgefeed worker entry: serves pre-rendered feed documents from the FEEDS KV namespace.
import { app } from './app.ts';

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
