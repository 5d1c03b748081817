import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BUILD_RECORD_KEY, documentKey, MANIFEST_KEY, SITE_PAGES } from '../core/document-paths.ts';
import type { BundleEntry } from '../core/document-record.ts';

/**
 * What the loader last wrote to a namespace: key → fingerprint. Stored under
 * MANIFEST_KEY so a sync reads one value instead of every key to know what is there.
 */
export const KvManifestSchema = z.object({
  version: z.literal(1),
  fingerprints: z.record(z.string(), z.string()),
});
export type KvManifest = z.infer<typeof KvManifestSchema>;

export type PlannedWrite = { entry: BundleEntry; reason: 'new' | 'changed' };

export type KvSyncPlan = {
  /** Grouped by stage; a stage is written completely before the next one starts. */
  writeStages: PlannedWrite[][];
  /** Keys the bundle no longer holds; removed after every write. */
  deletes: string[];
  unchanged: string[];
  /** What the namespace holds once the plan is applied; written last. */
  manifest: KvManifest;
};

/**
 * Hash of the value and the metadata: a metadata-only change (a new content type) must be
 * written too, and `meta:build` has no etag to lean on.
 */
export function fingerprintEntry(entry: BundleEntry): string {
  const hash = createHash('sha256');
  hash.update(entry.value);
  hash.update('\0');
  hash.update(JSON.stringify(entry.metadata ?? null));
  return hash.digest('base64url').slice(0, 22);
}

/** The stored manifest, or undefined when there is none or it cannot be read (→ write all). */
export function parseKvManifest(text: string | null | undefined): KvManifest | undefined {
  if (text == null) return undefined;
  try {
    const parsed = KvManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const INDEX_KEYS = new Set<string>(SITE_PAGES.map((path) => documentKey(path) ?? path));

/**
 * Write stage of a key. Feeds first, then pages that link to feeds, then the site-wide
 * indexes (`/`, `/feeds.json`, `/opml.xml`), then `meta:build`: a reader never meets a
 * link to a document that is not there yet, and /healthz reports a build only once all
 * of it is stored.
 */
export function writeStage(key: string): number {
  if (key === BUILD_RECORD_KEY) return 3;
  if (INDEX_KEYS.has(key)) return 2;
  if (key.startsWith('doc:') && key.endsWith('/')) return 1;
  return 0;
}

export type PlanKvSyncOptions = {
  /** Keys known to exist besides the manifest's (e.g. listed from a local store). */
  existingKeys?: Iterable<string>;
};

/** Compares a bundle with the namespace's manifest: what to write, in order, and delete. */
export function planKvSync(
  bundle: readonly BundleEntry[],
  current: KvManifest | undefined,
  options: PlanKvSyncOptions = {},
): KvSyncPlan {
  const known = current?.fingerprints ?? {};
  const fingerprints: Record<string, string> = {};
  const stages: PlannedWrite[][] = [[], [], [], []];
  const unchanged: string[] = [];
  for (const entry of bundle) {
    if (entry.key === MANIFEST_KEY) throw new Error(`the bundle must not contain ${MANIFEST_KEY}`);
    if (Object.hasOwn(fingerprints, entry.key)) {
      throw new Error(`the bundle holds key ${JSON.stringify(entry.key)} twice`);
    }
    const fingerprint = fingerprintEntry(entry);
    fingerprints[entry.key] = fingerprint;
    const before = Object.hasOwn(known, entry.key) ? known[entry.key] : undefined;
    if (before === fingerprint) {
      unchanged.push(entry.key);
    } else {
      const stage = stages[writeStage(entry.key)];
      stage?.push({ entry, reason: before === undefined ? 'new' : 'changed' });
    }
  }
  const stale = new Set<string>(Object.keys(known));
  for (const key of options.existingKeys ?? []) stale.add(key);
  const deletes = [...stale]
    .filter((key) => key !== MANIFEST_KEY && !Object.hasOwn(fingerprints, key))
    .sort(compareKeys);
  for (const stage of stages) stage.sort((a, b) => compareKeys(a.entry.key, b.entry.key));
  return {
    writeStages: stages.filter((stage) => stage.length > 0),
    deletes,
    unchanged: unchanged.sort(compareKeys),
    manifest: { version: 1, fingerprints },
  };
}

/** Code-unit order, as the bundle is sorted: independent of the machine's locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countWrites(plan: KvSyncPlan): number {
  return plan.writeStages.reduce((sum, stage) => sum + stage.length, 0);
}
