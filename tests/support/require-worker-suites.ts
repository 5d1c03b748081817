import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The worker test files the suite must contain. A run fails (in globalSetup, before any
 * test) when one of them has been removed or renamed, so deleting a suite can never turn
 * into a quiet pass. Add new suites here.
 */
export const REQUIRED_WORKER_SUITES = [
  'activitypub-deliveries',
  'activitypub-inbox',
  'archive-pages',
  'build-id',
  'build-switch',
  'conditional-get',
  'deploy-trigger',
  'edge-cache',
  'fixture-build',
  'healthz',
  'held-pointer',
  'hostile-paths',
  'hostile-requests',
  'hub-callback-policy',
  'hub-distribution',
  'hub-limits',
  'hub-refusals',
  'hub-subscribe',
  'hub-verification',
  'internal-error',
  'isolate-cache',
  'known-readers',
  'methods',
  'not-found',
  'push-counts',
  'polite-polling',
  'redirects',
  'request-properties',
  'serve-document',
  'stats-counting',
  'stats-endpoints',
  'stats-estimate',
  'unavailable',
  'websub-rocks',
] as const;

export default async function requireWorkerSuites(): Promise<void> {
  const missing: string[] = [];
  for (const suite of REQUIRED_WORKER_SUITES) {
    const file = fileURLToPath(new URL(`../worker/${suite}.test.ts`, import.meta.url));
    try {
      await access(file);
    } catch {
      missing.push(`tests/worker/${suite}.test.ts`);
    }
  }
  if (missing.length > 0) {
    throw new Error(`required worker test files are missing: ${missing.join(', ')}`);
  }
}
