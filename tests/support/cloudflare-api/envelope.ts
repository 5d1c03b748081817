import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.ts';
import type { KvNamespace } from './kv-namespace.ts';

/** One error of the v4 API envelope: a numeric code and a message. */
export type ApiError = { code: number; message: string };

/**
 * Sends the v4 API's JSON envelope, `{ success, errors, messages, result, result_info? }`,
 * which every JSON answer of api.cloudflare.com/client/v4 uses (and wrangler's
 * fetchResult reads: `success`, then `result`, else `errors[].code`/`message`).
 */
export function sendEnvelope(
  response: ServerResponse,
  status: number,
  body: { result?: unknown; errors?: ApiError[]; resultInfo?: unknown },
  headers: Record<string, string> = {},
): void {
  const errors = body.errors ?? [];
  const json = {
    success: errors.length === 0 && status < 400,
    errors,
    messages: [],
    result: body.result ?? null,
    ...(body.resultInfo === undefined ? {} : { result_info: body.resultInfo }),
  };
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(json));
}

export type KvRequest = {
  accountId: string;
  namespaces: ReadonlyMap<string, KvNamespace>;
  method: string;
  path: string;
  url: URL;
  body: Buffer;
  request: IncomingMessage;
  fault: Fault | undefined;
};

/** An applied request's answer, sent after the test's hook has seen it. */
export type Settled = { status: number; send(response: ServerResponse): void };

/** An answer in the envelope, as a Settled. */
export function envelope(
  status: number,
  body: { result?: unknown; errors?: ApiError[]; resultInfo?: unknown },
): Settled {
  return { status, send: (response) => sendEnvelope(response, status, body) };
}
