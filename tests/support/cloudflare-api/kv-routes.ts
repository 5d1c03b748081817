import { bulkDelete, bulkGet, bulkPut } from './bulk-routes.ts';
import { envelope, type KvRequest, type Settled } from './envelope.ts';
import type { KvNamespace } from './kv-namespace.ts';

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
