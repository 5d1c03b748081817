import type { Context } from 'hono';
import type { WorkerEnv } from './bindings.ts';
import { ALLOWED_METHODS, preflightHeaders } from './cors.ts';
import { problemResponse } from './problem-response.ts';

/**
 * OPTIONS (RFC 9110 §9.3.7) and CORS preflight: 204 with Allow, and for feeds the
 * Access-Control-* headers a cross-origin reader needs before a conditional GET.
 */
export function answerOptions(c: Context<WorkerEnv>): Response {
  const path = new URL(c.req.url).pathname;
  return new Response(null, { status: 204, headers: preflightHeaders(path) });
}

/** Every other method: 405 with the Allow header RFC 9110 §15.5.6 requires. */
export function rejectMethod(c: Context<WorkerEnv>): Response {
  const method = c.req.method.length > 20 ? `${c.req.method.slice(0, 20)}…` : c.req.method;
  return problemResponse(
    {
      status: 405,
      code: 'method-not-allowed',
      message: `${method} is not supported here; documents answer ${ALLOWED_METHODS}.`,
    },
    c.req.header('Accept'),
    { Allow: ALLOWED_METHODS },
  );
}
