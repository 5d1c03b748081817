// Bindings the workers project adds for tests only (vitest.config.ts miniflare.bindings).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** A secret on an account (`wrangler secret put`), so `wrangler types` does not list it. */
    DEPLOY_TOKEN: string;
  }
}
