import type { ServedPointer } from './bindings.ts';
import type { Problem } from './problem.ts';

/** Retry-After for a 503 (RFC 9110 §10.2.3): a deploy usually finishes within a minute. */
export const RETRY_AFTER_SECONDS = '60';

/** The headers every 503 carries. */
export const UNAVAILABLE_HEADERS: Readonly<Record<string, string>> = {
  'Retry-After': RETRY_AFTER_SECONDS,
};

/** Why no build can be served, for each state of the pointer but `loaded`. */
export function noBuildProblem(pointer: Exclude<ServedPointer, { state: 'loaded' }>): Problem {
  switch (pointer.state) {
    case 'unbound':
      return unavailable(
        'kv-binding-missing',
        'The FEEDS KV namespace is not bound to this worker; add it to wrangler.toml and deploy again.',
      );
    case 'missing':
      return unavailable(
        'no-build-loaded',
        'No build is loaded into the FEEDS KV namespace yet; run `npm run deploy` (or `npm start` locally).',
      );
    case 'invalid':
      return unavailable(
        'build-pointer-invalid',
        `The build pointer in the FEEDS KV namespace is unreadable: ${pointer.reason}; deploy or roll back to rewrite it.`,
      );
    case 'unreadable':
      return STORE_UNAVAILABLE;
  }
}

/** KV failed to answer (StoreUnavailableError): not our bug, usually brief. */
export const STORE_UNAVAILABLE: Problem = unavailable(
  'store-unavailable',
  'The feed store (the FEEDS KV namespace) did not answer; try again shortly.',
);

/**
 * The build the pointer names lacks a value it needs (a manifest shard or a document body):
 * a deploy switched before its upload was complete, or something was deleted by hand.
 */
export const BUILD_INCOMPLETE: Problem = unavailable(
  'build-incomplete',
  'The build being served is incomplete: the FEEDS KV namespace lacks part of it; deploy it again or roll back.',
);

function unavailable(code: string, message: string): Problem {
  return { status: 503, code, message };
}
