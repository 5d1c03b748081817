import { BUILD_RECORD_KEY } from '../core/document-paths.ts';
import type { BuildRecord } from '../core/document-record.ts';
import { BuildRecordSchema } from '../core/document-record.ts';

export type BuildRecordRead =
  | { state: 'loaded'; record: BuildRecord }
  | { state: 'missing' }
  | { state: 'invalid'; reason: string };

/** Reads `meta:build`, the record the build writes last; one KV read. */
export async function readBuildRecord(kv: KVNamespace): Promise<BuildRecordRead> {
  const value = await kv.get(BUILD_RECORD_KEY, 'text');
  if (value === null) return { state: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { state: 'invalid', reason: `${BUILD_RECORD_KEY} is not JSON` };
  }
  const parsed = BuildRecordSchema.safeParse(json);
  if (!parsed.success) {
    return {
      state: 'invalid',
      reason: `${BUILD_RECORD_KEY} does not match the build record schema`,
    };
  }
  return { state: 'loaded', record: parsed.data };
}
