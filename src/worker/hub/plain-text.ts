import type { Context } from 'hono';
import type { WorkerEnv } from '../bindings.ts';

/**
 * A hub answer: §5.1.2 wants errors described "in the response body as plain text", for
 * the subscriber's developer. Never cached, never sniffed.
 */
export function plainText(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(`${text}\n`, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
  });
}

/**
 * Runs work after the response is sent (`waitUntil`), or before it when the request came
 * without an execution context (a bare `app.request` call), so the work is never lost.
 */
export async function afterResponse(c: Context<WorkerEnv>, work: Promise<unknown>): Promise<void> {
  let executionCtx: Context<WorkerEnv>['executionCtx'] | undefined;
  try {
    executionCtx = c.executionCtx; // Hono throws when there is none
  } catch {
    executionCtx = undefined;
  }
  if (executionCtx === undefined) await work;
  else executionCtx.waitUntil(work);
}
