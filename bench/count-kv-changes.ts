import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The KV writes and deletes that loading `after` over `before` needs: keys whose line
 * (value and metadata) changed or is new, and keys that are gone — what the loader's
 * change-only sync does (src/publish/plan-kv-sync.ts), counted from the bundle files.
 */
export function countKvChanges(
  before: string,
  after: string,
): { kvWrites: number; kvDeletes: number } {
  const old = lineHashes(before);
  const now = lineHashes(after);
  let kvWrites = 0;
  for (const [key, hash] of now) if (old.get(key) !== hash) kvWrites++;
  let kvDeletes = 0;
  for (const key of old.keys()) if (!now.has(key)) kvDeletes++;
  return { kvWrites, kvDeletes };
}

function lineHashes(path: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.endsWith(',') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('{')) continue;
    const key = (JSON.parse(line) as { key: string }).key;
    // meta:build changes with every build (its id hashes all ETags); it is one write.
    map.set(key, createHash('sha256').update(line).digest('base64url'));
  }
  return map;
}
