import {
  type BuildPointer,
  BuildPointerSchema,
  currentBuild,
  type KeptBuild,
} from '../../core/build-record.ts';
import { POINTER_KEY } from '../../core/store-keys.ts';
import { fromStore } from './from-store.ts';

export type PointerRead =
  | { state: 'loaded'; pointer: BuildPointer; build: KeptBuild }
  | { state: 'missing' }
  | { state: 'invalid'; reason: string };

/** Used when BUILD_POINTER_SECONDS is unset or not a whole number of seconds. */
export const DEFAULT_POINTER_SECONDS = 5;

/** Reads BUILD_POINTER_SECONDS; falls back to the default rather than failing requests. */
export function resolvePointerSeconds(value: string | undefined): number {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return DEFAULT_POINTER_SECONDS;
  return Number(value);
}

let held: { read: PointerRead; until: number } | undefined;

/**
 * The pointer (`meta:current`): which build this isolate serves. It is read at most once per
 * `holdSeconds` per isolate (0: on every call), so a request usually costs no read for it; a
 * switch reaches an isolate within that time (and KV's own propagation, ~60 s, remotely).
 * One request uses one read of it throughout, so it never mixes two builds.
 */
export async function readPointer(
  kv: KVNamespace,
  holdSeconds: number,
  now = Date.now(),
): Promise<PointerRead> {
  if (held !== undefined && now < held.until) return held.read;
  return refreshPointer(kv, holdSeconds, now);
}

/**
 * The pointer read now, whatever this isolate holds, and then held as readPointer would
 * hold it: for `/healthz`, which must report the namespace as it is, and after a switch.
 */
export async function refreshPointer(
  kv: KVNamespace,
  holdSeconds: number,
  now = Date.now(),
): Promise<PointerRead> {
  const read = parsePointer(await fromStore(POINTER_KEY, () => kv.get(POINTER_KEY, 'text')));
  held = { read, until: now + holdSeconds * 1000 };
  return read;
}

/** Drops the held pointer, so the next request reads it again (after a switch). */
export function forgetPointer(): void {
  held = undefined;
}

/** The pointer's text as read from KV, checked against its schema. */
export function parsePointer(text: string | null): PointerRead {
  if (text === null) return { state: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'invalid', reason: `${POINTER_KEY} is not JSON` };
  }
  const parsed = BuildPointerSchema.safeParse(json);
  if (!parsed.success) {
    return { state: 'invalid', reason: `${POINTER_KEY} does not match the pointer schema` };
  }
  const build = currentBuild(parsed.data);
  if (build === undefined) {
    return { state: 'invalid', reason: `${POINTER_KEY} names a build it does not keep` };
  }
  return { state: 'loaded', pointer: parsed.data, build };
}
