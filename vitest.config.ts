import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Three projects: Node for core and build, workerd (with a real local KV namespace) for the
// worker, and the browser (Node driving Debian's chromium against `wrangler dev`). No run
// may pass by running nothing: passWithNoTests is off, `.only` fails, a file without tests
// fails, and a removed worker suite fails the worker globalSetup.
/** DEPLOY_TOKEN in the worker tests (tests/worker/deploy-trigger.test.ts sends it). */
const TEST_DEPLOY_TOKEN = 'test-deploy-token-0123456789abcdef';

export default defineConfig({
  test: {
    passWithNoTests: false,
    allowOnly: false,
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'tests/core/**/*.test.ts',
            'tests/compile/**/*.test.ts',
            'tests/publish/**/*.test.ts',
            // Test helpers that are programs of their own (the WebSub subscriber).
            'tests/support/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          // Starting wrangler dev and chromium takes seconds; a hung one must not hang CI.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            // The isolate's memory cache and its held build pointer outlive a test, while a
            // test file's KV changes between tests (empty for the 503 cases, another build
            // switched to): both are off here, so each request reads the pointer as KV holds
            // it now, and on in the tests that check them (isolate-cache, held-pointer).
            // Reader statistics and polite polling are off too (a suite that fetches one feed
            // a dozen times would get 429s, and counts waiting 10 s to be written would hold
            // up waitOnExecutionContext); the stats suites turn them on (stats-site.ts).
            miniflare: {
              compatibilityFlags: ['enable_nodejs_inspector_module'],
              bindings: {
                MEMORY_CACHE_SECONDS: '0',
                BUILD_POINTER_SECONDS: '0',
                // A secret on an account; tests/worker/support/apply-migrations.ts applies
                // TEST_MIGRATIONS (migrations/*.sql) to each test file's own D1 database.
                DEPLOY_TOKEN: TEST_DEPLOY_TOKEN,
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                STATS_ENABLED: 'false',
                POLITE_POLLING: 'false',
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          globalSetup: [
            'tests/support/require-worker-suites.ts',
            'tests/support/provide-bundle.ts',
          ],
          setupFiles: ['tests/worker/support/apply-migrations.ts'],
        },
      },
    ],
  },
});
