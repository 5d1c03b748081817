import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type { WorkerBindings } from '../../../src/worker/bindings.ts';
import worker from '../../../src/worker/index.ts';

// The request type a worker's fetch handler is declared to take (it carries `cf`).
const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;

export const ORIGIN = 'https://feeds.test';
export const HUB = `${ORIGIN}/hub`;

/**
 * The worker's env for hub tests: the pointer is read on every request (tests switch builds),
 * with any binding or var replaced (`wrangler types` spells vars as their literal values).
 */
export function hubEnv(overrides: Partial<WorkerBindings> = {}): Env {
  return { ...env, BUILD_POINTER_SECONDS: '0', ...overrides } as Env;
}

/**
 * POST /hub with a form, through the worker's own fetch handler, and waits for the work it
 * left running after the response (the verification of intent), so a test sees its outcome.
 */
export async function postHub(
  params: Record<string, string> | string,
  options: { env?: Env; client?: string; contentType?: string } = {},
): Promise<Response> {
  const body = typeof params === 'string' ? params : new URLSearchParams(params).toString();
  const request = new IncomingRequest(HUB, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
      'CF-Connecting-IP': options.client ?? randomClient(),
    },
    body,
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, options.env ?? hubEnv(), ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** A fresh client address, so the per-client rate limit never couples two tests. */
export function randomClient(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8::${a.toString(16)}:${b.toString(16)}`;
}
