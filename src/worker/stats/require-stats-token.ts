import type { Context, Next } from 'hono';
import type { WorkerEnv } from '../bindings.ts';

/**
 * Middleware: the statistics are for the publisher only. A request passes with
 * `Authorization: Bearer <STATS_TOKEN>` (RFC 6750 §2.1; the scheme is case-insensitive,
 * RFC 9110 §11.1); anything else, including every request while no STATS_TOKEN is set,
 * gets 401 with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3) and nothing else:
 * no body, nothing that says whether a token is configured.
 */
export async function requireStatsToken(
  c: Context<WorkerEnv>,
  next: Next,
): Promise<Response | undefined> {
  const expected = c.env.STATS_TOKEN;
  const given = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(
    c.req.header('Authorization') ?? '',
  )?.[1];
  if (expected === undefined || expected === '' || given === undefined) {
    return unauthorized('Bearer realm="edgefeed stats"');
  }
  if (!(await sameSecret(given, expected))) {
    return unauthorized('Bearer realm="edgefeed stats", error="invalid_token"');
  }
  await next();
  return undefined;
}

function unauthorized(challenge: string): Response {
  return new Response(null, {
    status: 401,
    headers: { 'WWW-Authenticate': challenge, 'Cache-Control': 'no-store' },
  });
}

/**
 * Compares two secrets in constant time: their SHA-256 digests (equal lengths, as
 * timingSafeEqual requires) with Web Crypto's timingSafeEqual, so neither the length nor
 * the first differing byte of the token shows in the response time.
 */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
