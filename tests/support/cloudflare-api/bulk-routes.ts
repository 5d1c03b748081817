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

/** POST /bulk/get: `{ keys }` → `{ values: { key: text | null } }` (at most 100 keys). */
export function bulkGet(r: KvRequest, ns: KvNamespace): Settled {
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
