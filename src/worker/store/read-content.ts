import { contentKey } from '../../core/store-keys.ts';
import { fromStore } from './from-store.ts';
import { BrokenBuildError, IMMUTABLE_CACHE_TTL } from './read-shard.ts';

/**
 * A document body by its content hash: one KV read, streamed. Content keys never change,
 * so KV's edge may keep them as long as it likes. A body the manifest names but KV lacks
 * is a broken deploy, never a 404.
 */
export async function readContent(kv: KVNamespace, hash: string): Promise<ReadableStream> {
  const key = contentKey(hash);
  const body = await fromStore(key, () =>
    kv.get(key, { type: 'stream', cacheTtl: IMMUTABLE_CACHE_TTL }),
  );
  if (body === null) throw new BrokenBuildError(`content ${key} is missing`);
  return body;
}
