import { setTimeout as delay } from 'node:timers/promises';
import type { RequestStats } from './kv-target.ts';
import { PublishError } from './publish-error.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-delay.ts';

export type CloudflareClientOptions = {
  /** `CLOUDFLARE_API_BASE_URL`, default https://api.cloudflare.com/client/v4 (as wrangler). */
  baseUrl: string;
  token: string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, headers and body included: a stalled connection counts as a failure. */
  timeoutMs?: number;
  /** Injected by tests to record the waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** One line per retry, saying what failed and how long it waits. */
  log?: (line: string) => void;
};

export type ApiRequest = {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** From the account on: `/accounts/<id>/storage/kv/...`. */
  path: string;
  query?: Record<string, string>;
  body?: string | Uint8Array;
  contentType?: string;
};

export type ApiResponse = { status: number; body: Buffer };

export type CloudflareClient = {
  /** Sends a request, retrying 429, 5xx, dropped connections and timeouts; other statuses return. */
  send(request: ApiRequest): Promise<ApiResponse>;
  stats(): RequestStats;
};

/**
 * Cloudflare's REST API through `fetch`. A request that fails in a way worth repeating is
 * repeated with backoff (retry-delay.ts), up to a bound; then it throws a PublishError
 * naming the request and the last failure. Answers that will not get better by repeating
 * (400, 401, 403, 404…) are returned for the caller to explain.
 */
export function createCloudflareClient(options: CloudflareClientOptions): CloudflareClient {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  const stats: RequestStats = { requests: 0, retries: 0 };
  const base = options.baseUrl.replace(/\/+$/, '');

  async function send(request: ApiRequest): Promise<ApiResponse> {
    const url = new URL(`${base}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };
    if (request.contentType) headers['Content-Type'] = request.contentType;
    const what = `${request.method} ${request.path}`;
    let last = '';
    for (let attempt = 1; ; attempt++) {
      stats.requests++;
      if (attempt > 1) stats.retries++;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(url, {
          method: request.method,
          headers,
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        // The body is read here, inside the retry: a connection dropped mid-body is retried too.
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status !== 429 && response.status < 500)
          return { status: response.status, body };
        retryAfter = response.headers.get('Retry-After');
        last = `HTTP ${response.status}${describeErrors(body)}`;
      } catch (error) {
        last = describeFailure(error);
      }
      if (attempt >= policy.attempts) {
        throw new PublishError(
          `${what} failed ${attempt} times (last: ${last}); Cloudflare's API may be down or rate limiting this token`,
        );
      }
      const wait = retryDelay(policy, attempt, retryAfter);
      options.log?.(`${what}: ${last}; retry ${attempt} in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait);
    }
  }

  return { send, stats: () => ({ ...stats }) };
}

/** `: code 10001 message; …` from an API envelope's errors, or nothing. */
export function describeErrors(body: Buffer): string {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    const errors = typeof json === 'object' && json !== null ? Reflect.get(json, 'errors') : [];
    if (!Array.isArray(errors) || errors.length === 0) return '';
    const parts = errors.slice(0, 3).map((error: unknown) => {
      if (typeof error !== 'object' || error === null) return String(error);
      return `${Reflect.get(error, 'message') ?? ''} [code ${Reflect.get(error, 'code') ?? '?'}]`;
    });
    return ` (${parts.join('; ')})`;
  } catch {
    return '';
  }
}

/** A network-level failure in words: the cause's code when there is one (ECONNRESET…). */
function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  if (error instanceof Error) {
    const cause = error.cause;
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
    return `${error.message}${code ? ` (${code})` : ''}`;
  }
  return String(error);
}
