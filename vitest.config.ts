import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Three projects: Node for core and build, workerd (with a real local KV namespace) for the
// worker, and the browser (Node driving Debian's chromium against `wrangler dev`). No run
// may pass by running nothing: passWithNoTests is off, `.only` fails, a file without tests
// fails, and a removed worker suite fails the worker globalSetup.
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
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The isolate's memory cache outlives a test; each test file's KV changes between
            // tests (empty for the 503 cases), so it is off here and on in isolate-cache.test.ts.
            miniflare: {
              compatibilityFlags: ['enable_nodejs_inspector_module'],
              bindings: { MEMORY_CACHE_SECONDS: '0' },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          globalSetup: [
            'tests/support/require-worker-suites.ts',
            'tests/support/provide-bundle.ts',
          ],
        },
      },
    ],
  },
});
