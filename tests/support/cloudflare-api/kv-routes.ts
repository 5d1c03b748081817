import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiError, sendEnvelope } from './envelope.ts';
import type { Fault } from './faults.ts';
import type { KvNamespace } from './kv-namespace.ts';

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

const NAMESPACE_PATH = /^\/accounts\/([^/]+)\/storage\/kv\/namespaces\/([^/]+)(\/.*)?$/;

/**
 * The namespace endpoints of the Workers KV REST API, as wrangler 4 (kv key put/get/delete/
 * list, kv bulk put/delete/get) and `npm run deploy` call them; undefined for any other
 * route. Shapes: wrangler-dist/cli.js (putKVKeyValue, putKVBulkKeyValue, fetchListResult…)
 * and Cloudflare's API reference (bulk results with unsuccessful_keys since 2024-11-14).
 */
export async function handleKvRequest(r: KvRequest): Promise<Settled | undefined> {
  const match = NAMESPACE_PATH.exec(r.path);
  if (match === null) return undefined;
  const [, account, namespaceId, rest = ''] = match;
  if (account !== r.accountId) {
    return envelope(403, { errors: [{ code: 10000, message: 'Authentication error' }] });
  }
  const ns = r.namespaces.get(namespaceId ?? '');
  if (ns === undefined) {
    return envelope(404, { errors: [{ code: 10013, message: 'namespace not found' }] });
  }
  const valueMatch = /^\/values\/(.+)$/.exec(rest);
  const route = `${r.method} ${valueMatch ? '/values/:key' : rest}`;
  switch (route) {
    case 'GET ':
      return envelope(200, { result: { id: ns.id, title: ns.title, supports_url_encoding: true } });
    case 'GET /keys': {
      const limit = Number(r.url.searchParams.get('limit') ?? '1000');
      if (!Number.isInteger(limit) || limit < 10 || limit > 1000) {
        return envelope(400, {
          errors: [{ code: 10023, message: 'limit must be between 10 and 1000' }],
        });
      }
      const page = ns.list(
        r.url.searchParams.get('prefix') ?? '',
        limit,
        r.url.searchParams.get('cursor') ?? undefined,
      );
      return envelope(200, {
        result: page.keys,
        resultInfo: { count: page.keys.length, cursor: page.cursor },
      });
    }
    case 'GET /values/:key': {
      const stored = ns.values.get(decodeURIComponent(valueMatch?.[1] ?? ''));
      if (stored === undefined)
        return envelope(404, { errors: [{ code: 10009, message: "get: 'key not found'" }] });
      return {
        status: 200,
        send: (response) => {
          response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          response.end(stored.value);
        },
      };
    }
    case 'PUT /values/:key':
      return putValue(r, ns, decodeURIComponent(valueMatch?.[1] ?? ''));
    case 'DELETE /values/:key':
      ns.values.delete(decodeURIComponent(valueMatch?.[1] ?? ''));
      return envelope(200, { result: {} });
    case 'PUT /bulk':
      return bulkPut(r, ns);
    case 'DELETE /bulk':
    case 'POST /bulk/delete':
      return bulkDelete(r, ns);
    case 'POST /bulk/get':
      return bulkGet(r, ns);
    default:
      return undefined;
  }
}

/** PUT /values/:key: the raw body, or multipart `value` + `metadata` (wrangler with --metadata). */
async function putValue(r: KvRequest, ns: KvNamespace, key: string): Promise<Settled> {
  const type = r.request.headers['content-type'] ?? '';
  const expiration = r.url.searchParams.get('expiration');
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(r.body), {
      headers: { 'Content-Type': type },
    }).formData();
    const value = form.get('value');
    const metadata = form.get('metadata');
    const bytes =
      typeof value === 'string'
        ? Buffer.from(value)
        : Buffer.from(await (value?.arrayBuffer() ?? new ArrayBuffer(0)));
    ns.values.set(key, {
      value: bytes,
      ...(typeof metadata === 'string' ? { metadata: JSON.parse(metadata) } : {}),
      ...(expiration ? { expiration: Number(expiration) } : {}),
    });
  } else {
    ns.values.set(key, {
      value: r.body,
      ...(expiration ? { expiration: Number(expiration) } : {}),
    });
  }
  return envelope(200, { result: {} });
}

/** PUT /bulk: `[{ key, value, base64?, metadata?, expiration?, expiration_ttl? }]`, ≤ 10,000. */
function bulkPut(r: KvRequest, ns: KvNamespace): Settled {
  const pairs = parseJsonArray(r.body);
  if (pairs === undefined || pairs.length > 10_000) {
    return envelope(400, {
      errors: [{ code: 10026, message: 'request body must be an array of at most 10000 pairs' }],
    });
  }
  const unsuccessful: string[] = [];
  for (const [index, pair] of pairs.entries()) {
    if (typeof pair !== 'object' || pair === null) return badPair(index);
    const key = Reflect.get(pair, 'key');
    const value = Reflect.get(pair, 'value');
    if (typeof key !== 'string' || typeof value !== 'string') return badPair(index);
    const fault = r.fault;
    if (fault?.kind === 'partial' && index % (fault.every ?? 2) === 0) {
      unsuccessful.push(key);
      continue;
    }
    if (fault?.kind === 'lose' && fault.keys.includes(key)) continue;
    const metadata = Reflect.get(pair, 'metadata');
    ns.values.set(key, {
      value:
        Reflect.get(pair, 'base64') === true ? Buffer.from(value, 'base64') : Buffer.from(value),
      ...(metadata === undefined ? {} : { metadata }),
    });
  }
  return envelope(200, {
    result: {
      successful_key_count: pairs.length - unsuccessful.length,
      unsuccessful_keys: unsuccessful,
    },
  });
}

function bulkDelete(r: KvRequest, ns: KvNamespace): Settled {
  const keys = parseJsonArray(r.body);
  if (keys === undefined || keys.length > 10_000 || keys.some((key) => typeof key !== 'string')) {
    return envelope(400, {
      errors: [{ code: 10026, message: 'request body must be an array of at most 10000 keys' }],
    });
  }
  for (const key of keys) if (typeof key === 'string') ns.values.delete(key);
  return envelope(200, { result: { successful_key_count: keys.length, unsuccessful_keys: [] } });
}

/** POST /bulk/get: `{ keys }` → `{ values: { key: text | null } }` (at most 100 keys). */
function bulkGet(r: KvRequest, ns: KvNamespace): Settled {
  let keys: unknown;
  try {
    const json: unknown = JSON.parse(r.body.toString('utf8'));
    keys = typeof json === 'object' && json !== null ? Reflect.get(json, 'keys') : undefined;
  } catch {
    keys = undefined;
  }
  if (!Array.isArray(keys) || keys.length > 100) {
    return envelope(400, {
      errors: [{ code: 10026, message: 'keys must be an array of at most 100 keys' }],
    });
  }
  const values: Record<string, string | null> = {};
  for (const key of keys) {
    if (typeof key === 'string') values[key] = ns.values.get(key)?.value.toString('utf8') ?? null;
  }
  return envelope(200, { result: { values } });
}

function badPair(index: number): Settled {
  return envelope(400, {
    errors: [{ code: 10026, message: `pair ${index} needs a string key and value` }],
  });
}

function parseJsonArray(body: Buffer): unknown[] | undefined {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    return Array.isArray(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

function envelope(
  status: number,
  body: { result?: unknown; errors?: ApiError[]; resultInfo?: unknown },
): Settled {
  return { status, send: (response) => sendEnvelope(response, status, body) };
}
