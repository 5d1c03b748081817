import { type BuildPointer, BuildPointerSchema, currentBuild } from '../core/build-record.ts';
import { POINTER_KEY } from '../core/store-keys.ts';
import type { KvTarget } from './kv-target.ts';

export type PointerState =
  | { state: 'missing' }
  | { state: 'loaded'; pointer: BuildPointer }
  | { state: 'invalid'; reason: string };

/** The namespace's pointer (`meta:current`), checked against its schema as the worker does. */
export async function readBuildPointer(target: KvTarget): Promise<PointerState> {
  const bytes = await target.get(POINTER_KEY);
  if (bytes === null) return { state: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { state: 'invalid', reason: `${POINTER_KEY} is not JSON` };
  }
  const parsed = BuildPointerSchema.safeParse(json);
  if (!parsed.success) return { state: 'invalid', reason: `${POINTER_KEY} is not a build pointer` };
  if (currentBuild(parsed.data) === undefined) {
    return { state: 'invalid', reason: `${POINTER_KEY} serves a build it does not keep` };
  }
  return { state: 'loaded', pointer: parsed.data };
}

/**
 * Checks that the target is there (`KvTarget.check`), then reads its pointer: what a deploy
 * learns before writing anything. Reading only, so a deploy may do it while its build runs
 * (scripts/deploy.ts).
 */
export async function checkAndReadPointer(target: KvTarget): Promise<PointerState> {
  await target.check();
  return readBuildPointer(target);
}

/** The pointer's bytes as stored: JSON, no whitespace (the worker reads it on every switch). */
export function pointerBytes(pointer: BuildPointer): Uint8Array {
  return Buffer.from(JSON.stringify(pointer));
}
