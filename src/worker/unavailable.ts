import type { Problem } from './problem.ts';
import type { BuildRecordRead } from './read-build-record.ts';

/** 503 when the worker was deployed without its KV binding. */
export const MISSING_BINDING: Problem = {
  status: 503,
  code: 'kv-binding-missing',
  message:
    'The FEEDS KV namespace is not bound to this worker; add it to wrangler.toml and deploy again.',
};

/** 503 when the namespace holds no (valid) bundle yet. */
export function bundleUnavailable(read: Exclude<BuildRecordRead, { state: 'loaded' }>): Problem {
  const message =
    read.state === 'missing'
      ? 'No feed bundle is loaded into the FEEDS KV namespace yet; run the build and load dist/kv-bundle.json.'
      : `The feed bundle in the FEEDS KV namespace is unreadable: ${read.reason}.`;
  return { status: 503, code: 'bundle-not-loaded', message };
}

/** Retry-After for a 503 (RFC 9110 §10.2.3): a load usually finishes within a minute. */
export const RETRY_AFTER_SECONDS = '60';
