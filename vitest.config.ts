import { availableParallelism } from 'node:os';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { LongFilesFirst } from './tests/support/long-files-first.ts';

// Three projects: Node for core and build, workerd (with a real local KV namespace) for the
// worker, and the browser (Node driving Debian's chromium against `wrangler dev`). No run
// may pass by running nothing: passWithNoTests is off, `.only` fails, a file without tests
// fails, and a removed worker suite fails the worker globalSetup.
//
// Speed comes from structure (tests/README.md; docs/performance.md "Test suite"): at least
// two files run at once, and no project starts a process per file it does not need.
/** DEPLOY_TOKEN in the worker tests (tests/worker/deploy-trigger.test.ts sends it). */
const TEST_DEPLOY_TOKEN = 'test-deploy-token-0123456789abcdef';

export default defineConfig({
  test: {
    passWithNoTests: false,
    allowOnly: false,
    // vitest's default is one worker fewer than cores: a single one on a 2-core machine, and
    // the end-to-end files spend most of their time waiting on wrangler, workerd and chromium,
    // which are processes of their own. Two files at once (or one per core) keeps both cores
    // busy; every test that starts a server takes a free port and a temporary folder of its
    // own (tests/support/free-port.ts), so files do not meet.
    maxWorkers: Math.max(2, availableParallelism()),
    // A temporary folder for the run, removed at its end (tests/support/run-temp-folder.ts);
    // then servers test files of every project share, started when the first file asks
    // (tests/support/shared-servers.ts): one `npm start` per run, not one per file.
    globalSetup: ['tests/support/run-temp-folder.ts', 'tests/support/serve-shared-servers.ts'],
    // The longest files first, whatever project they are in (tests/support/long-files-first.ts).
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        test: {
          name: 'node',
          // One Node process runs the files in turn instead of one per file (~0.5 s each).
          // These tests keep their state in temporary folders, their own servers and child
          // processes, all closed in afterAll/afterEach; none mocks a module or stubs a
          // global, and the two that set an environment variable delete it in afterEach.
          isolate: false,
          // A hang detector, not a speed check (speed targets are in `npm run bench`): the
          // property tests take ~1 s alone, and two files run at once beside wrangler and
          // workerd processes on 2 cores.
          testTimeout: 30_000,
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
                // A secret on an account; tests/worker/support/fresh-file.ts applies
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
          // One workerd runs the files in turn (one per worker slot) instead of one started
          // per file (~2 s of CPU each). tests/worker/support/fresh-file.ts gives each file
          // what a new workerd gave it: empty storage, freshly evaluated worker modules, real
          // timers, the migrations applied.
          isolate: false,
          testTimeout: 30_000,
          include: ['tests/worker/**/*.test.ts'],
          globalSetup: [
            'tests/support/require-worker-suites.ts',
            'tests/support/provide-bundle.ts',
          ],
          setupFiles: ['tests/worker/support/fresh-file.ts'],
        },
      },
    ],
  },
});
