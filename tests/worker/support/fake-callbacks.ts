import { vi } from 'vitest';

/** One request the worker sent out, as the receiving end saw it. */
export type SentRequest = {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
  redirect: RequestInit['redirect'];
  signal: AbortSignal | undefined;
};

export type CallbackHandler = (sent: SentRequest) => Response | Promise<Response>;

/**
 * Answers every outbound fetch of the worker (it runs in this isolate, so a spy on the global
 * fetch sees them all) with `handler`, and records each request. The subscriber side of the
 * hub tests: a callback that echoes, refuses, fails or never answers.
 */
export function fakeCallbacks(handler: CallbackHandler) {
  const sent: SentRequest[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const record: SentRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: new Uint8Array(await request.arrayBuffer()),
      redirect: init?.redirect ?? 'follow',
      signal: init?.signal ?? undefined,
    };
    sent.push(record);
    return handler(record);
  });
  return { sent, spy };
}

/** A subscriber that confirms every verification (§5.3.1) and accepts every delivery. */
export function echoChallenge(sent: SentRequest): Response {
  if (sent.method === 'GET') return new Response(sent.url.searchParams.get('hub.challenge'));
  return new Response(null, { status: 204 });
}

/** The text of a request body. */
export function bodyText(sent: SentRequest): string {
  return new TextDecoder().decode(sent.body);
}
