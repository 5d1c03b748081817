import { isUtf8 } from 'node:buffer';
import type { KvPair } from './kv-target.ts';

/** The bulk write's JSON bodies: at most `maxPairs` pairs and about `maxBytes` bytes each. */
export function* chunkPairs(
  pairs: readonly KvPair[],
  maxPairs: number,
  maxBytes: number,
): Generator<{ keys: string[]; body: string }> {
  let parts: string[] = [];
  let keys: string[] = [];
  let bytes = 2;
  for (const pair of pairs) {
    const bytesOf = Buffer.from(pair.value.buffer, pair.value.byteOffset, pair.value.byteLength);
    // Text goes as text (smaller than base64); anything else base64, which the API decodes.
    const entry = isUtf8(bytesOf)
      ? JSON.stringify({ key: pair.key, value: bytesOf.toString('utf8') })
      : JSON.stringify({ key: pair.key, value: bytesOf.toString('base64'), base64: true });
    const size = Buffer.byteLength(entry) + 1;
    if (keys.length > 0 && (keys.length >= maxPairs || bytes + size > maxBytes)) {
      yield { keys, body: `[${parts.join(',')}]` };
      parts = [];
      keys = [];
      bytes = 2;
    }
    parts.push(entry);
    keys.push(pair.key);
    bytes += size;
  }
  if (keys.length > 0) yield { keys, body: `[${parts.join(',')}]` };
}
