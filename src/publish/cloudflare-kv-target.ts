import { z } from 'zod';
import { chunkPairs } from './bulk-chunks.ts';
import { type ApiResponse, type CloudflareClient, describeErrors } from './cloudflare-client.ts';
import type { KvTarget } from './kv-target.ts';
import { PublishError } from './publish-error.ts';

export type CloudflareKvTargetOptions = {
  client: CloudflareClient;
  accountId: string;
  namespaceId: string;
  /** Cloudflare's bulk write takes at most 10,000 pairs per request. */
  maxPairs?: number;
  /** Request bodies stay well under the API's 100 MB limit. */
  maxBytes?: number;
};

// The v4 API envelope (https://developers.cloudflare.com/api/): every JSON answer has
// `success`, `errors`, `messages`, `result`; lists add `result_info` with a cursor.
const EnvelopeSchema = z.object({ success: z.boolean(), result: z.unknown() });
const KeyListSchema = z.object({
  result: z.array(z.object({ name: z.string() })),
  result_info: z.object({ cursor: z.string().nullish() }).nullish(),
});
// Bulk write and delete (KV changelog 2024-11-14): keys not stored everywhere are listed
// and "should be retried".
// Get multiple key-value pairs (POST …/bulk/get): `{ keys (≤ 100), type?: "text" | "json",
// withMetadata? }` → `{ values: { key: value } }`; the API reference says the keys "must
// contain text-based values"; a key that does not exist reads as null.
const BulkGetSchema = z.object({
  result: z.object({ values: z.record(z.string(), z.string().nullable()) }),
});
const BulkResultSchema = z.object({
  result: z.object({ unsuccessful_keys: z.array(z.string()).optional() }).nullish(),
});

/**
 * A Cloudflare KV namespace through the REST API (not `wrangler kv bulk put`, which ignores
 * `unsuccessful_keys`): bulk writes in chunks of at most `maxPairs` pairs and `maxBytes`
 * bytes, values as UTF-8 text when they are (base64 otherwise), and every key the API did
 * not store reported back.
 */
export function createCloudflareKvTarget(options: CloudflareKvTargetOptions): KvTarget {
  const { client, accountId, namespaceId } = options;
  const maxPairs = options.maxPairs ?? 10_000;
  const maxBytes = options.maxBytes ?? 32 * 2 ** 20;
  const maxReads = 100;
  const root = `/accounts/${accountId}/storage/kv/namespaces/${namespaceId}`;
  const name = `namespace ${namespaceId} (Cloudflare account ${accountId})`;

  const failure = (what: string, response: ApiResponse) =>
    new PublishError(`${what} in ${name}: HTTP ${response.status}${describeErrors(response.body)}`);
  const expectSuccess = (what: string, response: ApiResponse): unknown => {
    const json = parseJson(response.body);
    const envelope = EnvelopeSchema.safeParse(json);
    if (response.status >= 300 || !envelope.success || !envelope.data.success) {
      throw failure(what, response);
    }
    return json;
  };

  return {
    name,
    async check() {
      const response = await client.send({ method: 'GET', path: root });
      if (response.status === 401 || response.status === 403) {
        throw new PublishError(
          `Cloudflare refused the API token for account ${accountId} (HTTP ${response.status}${describeErrors(response.body)}): check CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID; the token needs "Workers KV Storage: Edit"`,
        );
      }
      if (response.status === 404) {
        throw new PublishError(
          `${name} does not exist${describeErrors(response.body)}: put the id of your FEEDS namespace in wrangler.toml ([[kv_namespaces]], binding FEEDS); \`wrangler kv namespace list\` shows them, \`wrangler kv namespace create FEEDS\` makes one. Nothing was written.`,
        );
      }
      expectSuccess('reading the namespace', response);
    },
    async listKeys(prefix, cursor) {
      const query: Record<string, string> = { prefix, limit: '1000' };
      if (cursor !== undefined) query.cursor = cursor;
      const response = await client.send({ method: 'GET', path: `${root}/keys`, query });
      const parsed = KeyListSchema.safeParse(expectSuccess(`listing ${prefix}*`, response));
      if (!parsed.success) throw failure(`listing ${prefix}* (unexpected answer)`, response);
      const next = parsed.data.result_info?.cursor;
      return {
        keys: parsed.data.result.map((key) => key.name),
        ...(next ? { cursor: next } : {}),
      };
    },
    async get(key) {
      const response = await client.send({
        method: 'GET',
        path: `${root}/values/${encodeURIComponent(key)}`,
      });
      if (response.status === 404) return null;
      if (response.status !== 200) throw failure(`reading ${key}`, response);
      return response.body;
    },
    async readMany(keys) {
      const found = new Map<string, Uint8Array | null>();
      for (let start = 0; start < keys.length; start += maxReads) {
        const batch = keys.slice(start, start + maxReads);
        const response = await client.send({
          method: 'POST',
          path: `${root}/bulk/get`,
          body: JSON.stringify({ keys: batch, type: 'text' }),
          contentType: 'application/json',
        });
        const parsed = BulkGetSchema.safeParse(expectSuccess('reading values', response));
        if (!parsed.success) throw failure('reading values (unexpected answer)', response);
        const values = parsed.data.result.values;
        for (const key of batch) {
          const text = Object.hasOwn(values, key) ? values[key] : null;
          found.set(key, text === null || text === undefined ? null : Buffer.from(text, 'utf8'));
        }
      }
      return found;
    },
    async put(key, value) {
      const response = await client.send({
        method: 'PUT',
        path: `${root}/values/${encodeURIComponent(key)}`,
        body: value,
        contentType: 'application/octet-stream',
      });
      expectSuccess(`writing ${key}`, response);
    },
    async putMany(pairs) {
      const failed: string[] = [];
      for (const chunk of chunkPairs(pairs, maxPairs, maxBytes)) {
        const response = await client.send({
          method: 'PUT',
          path: `${root}/bulk`,
          body: chunk.body,
          contentType: 'application/json',
        });
        const parsed = BulkResultSchema.safeParse(expectSuccess('writing values', response));
        failed.push(...((parsed.success && parsed.data.result?.unsuccessful_keys) || []));
      }
      return { failed };
    },
    async deleteMany(keys) {
      const failed: string[] = [];
      for (let start = 0; start < keys.length; start += maxPairs) {
        const response = await client.send({
          method: 'POST',
          path: `${root}/bulk/delete`,
          body: JSON.stringify(keys.slice(start, start + maxPairs)),
          contentType: 'application/json',
        });
        const parsed = BulkResultSchema.safeParse(expectSuccess('deleting values', response));
        failed.push(...((parsed.success && parsed.data.result?.unsuccessful_keys) || []));
      }
      return { failed };
    },
    stats: () => client.stats(),
    close: async () => {},
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
