import { envelope, type KvRequest, type Settled } from './envelope.ts';
import type { KvNamespace } from './kv-namespace.ts';

/** PUT /bulk: `[{ key, value, base64?, metadata?, expiration?, expiration_ttl? }]`, ≤ 10,000. */
export function bulkPut(r: KvRequest, ns: KvNamespace): Settled {
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

export function bulkDelete(r: KvRequest, ns: KvNamespace): Settled {
  const keys = parseJsonArray(r.body);
  if (keys === undefined || keys.length > 10_000 || keys.some((key) => typeof key !== 'string')) {
    return envelope(400, {
      errors: [{ code: 10026, message: 'request body must be an array of at most 10000 keys' }],
    });
  }
  for (const key of keys) if (typeof key === 'string') ns.values.delete(key);
  return envelope(200, { result: { successful_key_count: keys.length, unsuccessful_keys: [] } });
}

/**
 * POST /bulk/get, "Get multiple key-value pairs" in Cloudflare's API reference:
 * `{ keys: string[] (at most 100), type?: "text" | "json", withMetadata?: boolean }` →
 * `{ values: { key: value } }`, a key that does not exist paired with null; with
 * `withMetadata`, each value is `{ value, metadata, expiration? }`. Values are text ("keys
 * must contain text-based values"); `type: "json"` parses them.
 */
export function bulkGet(r: KvRequest, ns: KvNamespace): Settled {
  let body: unknown;
  try {
    body = JSON.parse(r.body.toString('utf8'));
  } catch {
    body = undefined;
  }
  const field = (name: string) =>
    typeof body === 'object' && body !== null ? Reflect.get(body, name) : undefined;
  const keys = field('keys');
  const type = field('type') ?? 'text';
  const withMetadata = field('withMetadata') ?? false;
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.length > 100 ||
    keys.some((key) => typeof key !== 'string')
  ) {
    return envelope(400, {
      errors: [{ code: 10026, message: 'keys must be an array of 1 to 100 key names' }],
    });
  }
  if ((type !== 'text' && type !== 'json') || typeof withMetadata !== 'boolean') {
    return envelope(400, {
      errors: [{ code: 10026, message: 'type must be "text" or "json"; withMetadata a boolean' }],
    });
  }
  const values: Record<string, unknown> = {};
  for (const key of keys as string[]) {
    const stored = ns.values.get(key);
    if (stored === undefined) {
      values[key] = null;
      continue;
    }
    let value: unknown = stored.value.toString('utf8');
    if (type === 'json') {
      try {
        value = JSON.parse(String(value));
      } catch {
        return envelope(400, {
          errors: [{ code: 10026, message: `the value of ${key} is not JSON` }],
        });
      }
    }
    values[key] = withMetadata
      ? {
          value,
          metadata: stored.metadata ?? null,
          ...(stored.expiration === undefined ? {} : { expiration: stored.expiration }),
        }
      : value;
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
