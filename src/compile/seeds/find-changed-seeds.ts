import { statSync } from 'node:fs';
import {
  type FoundSeeds,
  findSeedFiles,
  folderStamp,
  type SeedFile,
  seedPath,
} from './find-seed-files.ts';
import { seedSignature } from './seed-signature.ts';

/**
 * How long before a listing a folder must have last changed for the listing to be
 * reused: a change within the clock tick of the one recorded (Linux stamps files from a
 * coarse clock; some file systems keep 2-second times) could leave the stamp as it was.
 * As git's index does for racily clean files, such a folder is listed again.
 */
const RACY_MS = 2000;

/** A listing kept from an earlier build: seed names in walk order, and the folders walked. */
export type KeptListing = {
  names: readonly string[];
  folders: readonly FoundSeeds['folders'][number][];
  listedAt: number;
};

/**
 * The seeds under `root` and those that changed since a build whose seeds had the
 * signatures `prior` gives (without decoding its records): new, gone, or with another signature (seed-signature.ts).
 * The folder is listed again only when a folder's stamp changed (an entry was added,
 * removed or renamed): otherwise `kept` is the listing, and finding what changed costs one
 * stat per seed — the floor of a new process that must notice an edit. `statted`: the
 * indices (in `kept`) of seeds a stat thread found changed since the listing was saved.
 */
export async function findChangedSeeds(
  root: string,
  kept: KeptListing | undefined,
  prior: { signatureOf(name: string): string | undefined; keys(): Iterable<string> },
  statted?: Promise<Int32Array>,
): Promise<{ found: FoundSeeds; changed: Map<string, SeedFile>; relisted: boolean }> {
  const reused = kept && stillListed(kept) ? restoreListing(root, kept) : undefined;
  const found = reused ?? (await findSeedFiles(root));
  const changed = new Map<string, SeedFile>();
  // With the listing reused, a stat thread (stat-seeds.ts) may have compared every seed
  // with the signatures the listing was saved with: only those it found changed are looked
  // at again here, against the signatures since (a journal may have moved some on).
  const candidates = reused && statted ? await statted.catch(() => undefined) : undefined;
  const files = candidates
    ? Array.from(candidates, (i) => found.files[i]).filter((seed) => seed !== undefined)
    : found.files;
  for (const seed of files) {
    const before = prior.signatureOf(seed.name);
    if (before === undefined) {
      changed.set(seed.name, seed);
      continue;
    }
    const info = statSync(seed.path, { bigint: true, throwIfNoEntry: false });
    if (info === undefined || seedSignature(info) !== before) changed.set(seed.name, seed);
  }
  if (!reused) {
    const listed = new Set(found.files.map((seed) => seed.name));
    for (const name of prior.keys()) {
      if (!listed.has(name)) changed.set(name, { name, path: seedPath(root, name) });
    }
  }
  return { found, changed, relisted: reused === undefined };
}

function stillListed(kept: KeptListing): boolean {
  for (const folder of kept.folders) {
    const info = statSync(folder.path, { bigint: true, throwIfNoEntry: false });
    if (info === undefined || folderStamp(info) !== folder.stamp) return false;
    if (Number(info.mtimeNs / 1_000_000n) > kept.listedAt - RACY_MS) return false;
  }
  return kept.folders.length > 0;
}

function restoreListing(root: string, kept: KeptListing): FoundSeeds {
  return {
    files: kept.names.map((name) => ({ name, path: seedPath(root, name) })),
    problems: [],
    folders: [...kept.folders],
    listedAt: kept.listedAt,
  };
}
