// A local stand-in for the part of Cloudflare's v4 API that `npm run deploy`, `wrangler deploy`
// and wrangler's `kv` and `d1` commands use, with faults to inject. Anything else answers 501.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Account } from './account.ts';
import { handleAccountRequest } from './account-routes.ts';
import { envelope, sendEnvelope } from './envelope.ts';
import { type Fault, type FaultRule, type SeenRequest, takeFault } from './faults.ts';
import type { KvNamespace } from './kv-namespace.ts';
import { handleKvRequest } from './kv-routes.ts';

export type StandInOptions = {
  /** The one account id it answers for (default: any). */
  accountId?: string;
  /** The one bearer token it accepts (default: any). */
  token?: string;
  /** Namespaces that exist from the start (titled `ns-<id>`). */
  namespaces?: string[];
  /** Default 0: a free port. */
  port?: number;
  /** Added before every answer: a real API round trip (bench/deploy-ci.ts uses 100 ms). */
  delayMs?: number;
};

export type StandIn = {
  /** What CLOUDFLARE_API_BASE_URL should be: `http://127.0.0.1:PORT/client/v4`. */
  baseUrl: string;
  namespace(id: string): KvNamespace;
  /** Everything the account holds: namespaces, databases, queues, workers. */
  account: Account;
  /** Every API request seen: method, path, body bytes, status (0: dropped connection). */
  requests: (SeenRequest & { status: number; bytes: number })[];
  /** Requests to routes the stand-in does not implement (each answered 501). */
  unknown: string[];
  inject(fault: Fault, when?: (request: SeenRequest) => boolean, times?: number): void;
  clearFaults(): void;
  /** Called after each request is applied and before it is answered (a test kills here). */
  onApplied: ((request: SeenRequest) => void) | undefined;
  close(): Promise<void>;
};

const API_ROOT = '/client/v4';

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const account = new Account();
  for (const id of options.namespaces ?? []) account.addNamespace(`ns-${id}`, id);
  const namespaces = account.namespaces;
  const rules: FaultRule[] = [];
  const standIn: StandIn = {
    baseUrl: '',
    namespace(id) {
      const found = namespaces.get(id);
      if (found === undefined) throw new Error(`the stand-in has no namespace ${id}`);
      return found;
    },
    account,
    requests: [],
    unknown: [],
    inject(fault, when = () => true, times = 1) {
      rules.push({ fault, when, times });
    },
    clearFaults() {
      rules.length = 0;
    },
    onApplied: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendEnvelope(response, 500, { errors: [{ code: 10001, message: String(error) }] });
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    if (options.delayMs) await delay(options.delayMs);
    const path = url.pathname.startsWith(API_ROOT)
      ? url.pathname.slice(API_ROOT.length)
      : url.pathname;
    const seen: SeenRequest & { status: number; bytes: number } = {
      method,
      path,
      index: standIn.requests.length + 1,
      status: 0,
      bytes: body.length,
    };
    standIn.requests.push(seen);
    const bearer = request.headers.authorization ?? '';
    if (
      options.token === undefined
        ? !/^Bearer \S+$/.test(bearer)
        : bearer !== `Bearer ${options.token}`
    ) {
      seen.status = 403;
      sendEnvelope(response, 403, { errors: [{ code: 10000, message: 'Authentication error' }] });
      return;
    }
    const fault = takeFault(rules, seen);
    if (fault?.kind === 'status') {
      seen.status = fault.status;
      const headers: Record<string, string> = fault.retryAfter
        ? { 'Retry-After': fault.retryAfter }
        : {};
      const error =
        fault.status === 429
          ? { code: 971, message: 'Please wait and consider throttling your request speed' }
          : { code: 10001, message: 'Internal error' };
      sendEnvelope(response, fault.status, { errors: [error] }, headers);
      return;
    }
    if (fault?.kind === 'denied') {
      seen.status = 403;
      sendEnvelope(response, 403, { errors: [{ code: 10000, message: 'Authentication error' }] });
      return;
    }
    if (fault?.kind === 'drop' && !fault.applied) {
      request.socket.destroy();
      return;
    }
    const accountId = options.accountId ?? /^\/accounts\/([^/]+)/.exec(path)?.[1] ?? '';
    const settled =
      (await handleKvRequest({
        accountId,
        namespaces,
        method,
        path,
        url,
        body,
        request,
        fault,
      })) ?? (await routeToAccount(accountId, method, path, url, body, request));
    if (settled === undefined) {
      standIn.unknown.push(`${method} ${path}`);
      console.error(`cloudflare stand-in: 501 for ${method} ${path} (not implemented)`);
      seen.status = 501;
      sendEnvelope(response, 501, {
        errors: [{ code: 10000, message: `stand-in: ${method} ${path} is not implemented` }],
      });
      return;
    }
    seen.status = settled.status;
    standIn.onApplied?.(seen);
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    settled.send(response);
  }

  /** An account endpoint, for the one account this stand-in holds (any id without accountId). */
  async function routeToAccount(
    accountId: string,
    method: string,
    path: string,
    url: URL,
    body: Buffer,
    request: IncomingMessage,
  ) {
    // What wrangler asks when a request fails, to say which token it used.
    if (method === 'GET' && path === '/user/tokens/verify') {
      return envelope(200, { result: { id: 'stand-in', status: 'active' } });
    }
    const match = /^\/accounts\/([^/]+)(\/.*)$/.exec(path);
    if (match === null) return undefined;
    if (match[1] !== accountId) {
      return envelope(403, { errors: [{ code: 10000, message: 'Authentication error' }] });
    }
    return handleAccountRequest({
      account,
      accountId,
      method,
      path: match[2] ?? '',
      url,
      body,
      request,
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stand-in has no port');
  const { port } = address;
  standIn.baseUrl = `http://127.0.0.1:${port}${API_ROOT}`;
  return standIn;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
