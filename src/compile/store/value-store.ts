import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writev,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';

/** Where a value sits: a pack file and a byte range in it. */
type Place = { pack: string; offset: number; length: number };

/** Where each value of a pack is: key, offset, length. */
export type PackEntries = [key: string, offset: number, length: number][];

/** A pack's index file: written after the pack is complete, it is what makes it count. */
type PackIndex = { format: 'edgefeed-pack-1'; entries: PackEntries };

/** Bytes handed to background writes and not yet written, before writing waits. */
const MAX_WRITING = 64 * 2 ** 20;

/** Past this many packs, `collect` merges the small ones. */
const MANY_PACKS = 32;

/**
 * The values a build stores (`c:<hash>` document bodies, `m:<hash>` manifest shards), on
 * disk, each once: the local mirror of what the FEEDS namespace holds. A build appends the
 * values the store lacks to one new pack file (`packs/<name>.pack`), then writes its index
 * (`<name>.idx`); a pack without an index is an interrupted build's and is ignored. Packs
 * never change once indexed, so a rebuild writes only what is new, and a pack may be
 * hard-linked or copied elsewhere. `collect` drops dead values, rewriting only packs that are
 * mostly garbage or small.
 */
export class ValueStore {
  readonly dir: string;
  readonly #places = new Map<string, Place>();
  readonly #fds = new Map<string, number>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Opens (creating if needed) the store in `dir` to write to it, reading every pack's index
   * and deleting the packs an interrupted build left unindexed. Only the one process that
   * writes to the store may open it so.
   */
  static open(dir: string): ValueStore {
    const store = new ValueStore(dir);
    store.#index(true);
    return store;
  }

  /**
   * Opens the store in `dir` to read what it holds, deleting nothing: a build writing to
   * it meanwhile (a watching build) has a pack it has not indexed yet, and a reader that
   * swept it would leave that build an index naming a pack that is gone.
   */
  static openToRead(dir: string): ValueStore {
    const store = new ValueStore(dir);
    store.#index(false);
    return store;
  }

  /**
   * Reads every pack's index. `sweep`: also delete packs that were never indexed (an
   * interrupted build's); only the one opening the store does that, never a reader that
   * reloads while a build may be writing a pack.
   */
  #index(sweep: boolean): void {
    const dir = this.dir;
    const packs = join(dir, 'packs');
    mkdirSync(packs, { recursive: true });
    const names = readdirSync(packs);
    const indexed = new Set<string>();
    for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
      const pack = name.slice(0, -4);
      let index: PackIndex;
      try {
        index = JSON.parse(readFileSync(join(packs, name), 'utf8')) as PackIndex;
      } catch {
        continue; // a torn index: its pack is garbage like an unindexed one
      }
      if (index.format !== 'edgefeed-pack-1') continue;
      indexed.add(pack);
      for (const [key, offset, length] of index.entries) {
        if (!this.#places.has(key)) this.#places.set(key, { pack, offset, length });
      }
    }
    if (!sweep) return;
    // Packs a build began and never indexed (it was interrupted) hold nothing anyone names.
    for (const name of names) {
      if (name.endsWith('.pack') && !indexed.has(name.slice(0, -5))) {
        rmSync(join(packs, name), { force: true });
      }
    }
  }

  has(key: string): boolean {
    return this.#places.has(key);
  }

  get size(): number {
    return this.#places.size;
  }

  keys(): IterableIterator<string> {
    return this.#places.keys();
  }

  /**
   * The bytes stored under `key`; throws when the store has none. Another process may have
   * compacted the store since it was opened (the new pack is indexed before the old ones
   * go): a pack that is gone means reading the indexes again, once.
   */
  read(key: string): Buffer {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#readAt(key);
      } catch (error) {
        const gone = error instanceof Error && 'code' in error && error.code === 'ENOENT';
        if (!gone || attempt >= 3) throw error;
        this.closeFiles();
        this.#places.clear();
        this.#index(false);
      }
    }
  }

  #readAt(key: string): Buffer {
    const place = this.#places.get(key);
    if (place === undefined) throw new Error(`the store in ${this.dir} has no value ${key}`);
    const buffer = Buffer.allocUnsafe(place.length);
    const fd = this.#fd(place.pack);
    let done = 0;
    while (done < place.length) {
      const n = readSync(fd, buffer, done, place.length - done, place.offset + done);
      if (n === 0) throw new Error(`${this.#packPath(place.pack)} ends before ${key}`);
      done += n;
    }
    return buffer;
  }

  /** Starts a pack for the values of one build; `commit` makes them part of the store. */
  begin(): PackWriter {
    return new PackWriter(this, uniquePackName());
  }

  /** A name for a new pack, and the path of its file, for whoever writes one. */
  newPack(): { name: string; path: string } {
    const name = uniquePackName();
    return { name, path: this.#packPath(name) };
  }

  /**
   * Makes a written pack part of the store: writes its index (after the pack is complete:
   * the index is what makes a pack count) and takes its entries in; `replace` moves keys
   * the store already had to this pack (a compaction, before the old packs go).
   */
  commitPack(pack: string, entries: PackEntries, replace = false): void {
    const packs = join(this.dir, 'packs');
    const index: PackIndex = { format: 'edgefeed-pack-1', entries };
    const temp = join(packs, `${pack}.idx.tmp`);
    writeFileSync(temp, JSON.stringify(index));
    renameSync(temp, join(packs, `${pack}.idx`));
    for (const [key, offset, length] of entries) {
      if (replace || !this.#places.has(key)) this.#places.set(key, { pack, offset, length });
    }
  }

  /** Bytes held by every pack, live or not. */
  storedBytes(): number {
    const packs = join(this.dir, 'packs');
    let bytes = 0;
    for (const name of readdirSync(packs)) {
      if (name.endsWith('.pack')) bytes += statSync(join(packs, name)).size;
    }
    return bytes;
  }

  /**
   * Drops values not in `live`, rewriting only the packs where that pays: a pack that is
   * mostly garbage, and, once there are more than MANY_PACKS, every pack much smaller than
   * the largest (a watching build adds one small pack per rebuild). Their live values are
   * copied into one new pack, indexed before the old packs are removed, so an interruption
   * loses nothing; the big pack of a cold build is left alone, so a collection costs about
   * what the rebuilds since the last one wrote, not the whole site. Undefined when no pack
   * is worth rewriting.
   */
  async collect(live: ReadonlySet<string>): Promise<{ removed: number; kept: number } | undefined> {
    const packsDir = join(this.dir, 'packs');
    const packs = new Map<string, { bytes: number; live: number }>();
    for (const name of readdirSync(packsDir)) {
      if (!name.endsWith('.idx')) continue;
      const pack = name.slice(0, -4);
      const bytes = statSync(this.#packPath(pack), { throwIfNoEntry: false })?.size ?? 0;
      packs.set(pack, { bytes, live: 0 });
    }
    for (const [key, place] of this.#places) {
      const pack = packs.get(place.pack);
      if (pack && live.has(key)) pack.live += place.length;
    }
    let largest = 0;
    for (const p of packs.values()) largest = Math.max(largest, p.bytes);
    const many = packs.size > MANY_PACKS;
    const rewrite = new Set<string>();
    let garbage = false;
    for (const [name, p] of packs) {
      const mostlyGarbage = p.live * 2 <= p.bytes;
      if (mostlyGarbage || (many && p.bytes * 16 < largest)) rewrite.add(name);
      garbage ||= mostlyGarbage;
    }
    if (!garbage && rewrite.size < 2) return undefined;
    const writer = new PackWriter(this, uniquePackName(), true);
    const moved = [...this.#places]
      .filter(([key, place]) => rewrite.has(place.pack) && live.has(key))
      .map(([key]) => key)
      .sort();
    for (const key of moved) writer.add(key, this.read(key));
    await writer.commit();
    const removed: string[] = [];
    for (const [key, place] of this.#places) if (rewrite.has(place.pack)) removed.push(key);
    this.closeFiles();
    for (const key of removed) this.#places.delete(key);
    // Index first: a reader that lists the indexes then never meets one whose pack is gone.
    for (const pack of rewrite) {
      rmSync(join(packsDir, `${pack}.idx`), { force: true });
      rmSync(this.#packPath(pack), { force: true });
    }
    return { removed: removed.length, kept: this.#places.size };
  }

  /** Closes the pack files read so far (reads open them again as needed). */
  closeFiles(): void {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }

  #fd(pack: string): number {
    let fd = this.#fds.get(pack);
    if (fd === undefined) {
      fd = openSync(this.#packPath(pack), 'r');
      this.#fds.set(pack, fd);
    }
    return fd;
  }

  #packPath(pack: string): string {
    return join(this.dir, 'packs', `${pack}.pack`);
  }
}

/** Appends a build's new values to one pack, written in the background as it goes. */
export class PackWriter {
  readonly name: string;
  readonly #store: ValueStore;
  readonly #rewrite: boolean;
  readonly #entries: PackEntries = [];
  readonly #added = new Set<string>();
  #fd: number | undefined;
  #offset = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #writing = 0;
  #drained: (() => void)[] = [];
  #failure: Error | undefined;
  #committed = false;

  constructor(store: ValueStore, name: string, rewrite = false) {
    this.#store = store;
    this.name = name;
    this.#rewrite = rewrite;
  }

  /**
   * Stores `bytes` (one buffer, or pieces of `size` bytes in all) under `key`, unless the
   * store (or this pack) already has that key.
   */
  add(key: string, bytes: Buffer | readonly Buffer[], size = sizeOf(bytes)): boolean {
    if ((!this.#rewrite && this.#store.has(key)) || this.#added.has(key)) return false;
    this.#added.add(key);
    this.#fd ??= openSync(join(this.#store.dir, 'packs', `${this.name}.pack`), 'w');
    this.#entries.push([key, this.#offset, size]);
    this.#offset += size;
    if (Buffer.isBuffer(bytes)) this.#pending.push(bytes);
    else this.#pending.push(...bytes);
    this.#pendingBytes += size;
    if (this.#pendingBytes >= 8 * 2 ** 20 || this.#pending.length >= 1000) this.#flush();
    return true;
  }

  /** Values added, and their bytes. */
  get added(): { values: number; bytes: number } {
    return { values: this.#entries.length, bytes: this.#offset };
  }

  /** Waits for every write, then writes the index: from here on the values are stored. */
  async commit(): Promise<void> {
    const fd = this.#fd;
    if (fd === undefined) {
      this.#committed = true; // nothing new: no pack at all
      return;
    }
    try {
      this.#flush();
      while (this.#writing > 0) await new Promise<void>((r) => this.#drained.push(r));
      if (this.#failure) throw this.#failure;
    } finally {
      closeSync(fd);
    }
    this.#store.commitPack(this.name, this.#entries, this.#rewrite);
    this.#committed = true;
  }

  /** Drops what was written (a failed build); nothing once the pack is committed. */
  async abandon(): Promise<void> {
    if (this.#committed) return;
    while (this.#writing > 0) await new Promise<void>((r) => this.#drained.push(r));
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#committed = true;
    rmSync(join(this.#store.dir, 'packs', `${this.name}.pack`), { force: true });
  }

  /**
   * Writes what is pending at its own offset from libuv's thread pool, so this thread can
   * render the next document meanwhile; past MAX_WRITING bytes in flight it waits instead
   * (synchronously) rather than hold more.
   */
  #flush(): void {
    const fd = this.#fd;
    const pieces = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (fd === undefined || pieces.length === 0) return;
    const position = this.#offset - bytes;
    if (this.#writing * 8 * 2 ** 20 >= MAX_WRITING) {
      writevSync(fd, pieces, position);
      return;
    }
    this.#writing++;
    writev(fd, pieces, position, (error) => {
      if (error) this.#failure ??= error;
      this.#writing--;
      if (this.#writing === 0) for (const wake of this.#drained.splice(0)) wake();
    });
  }
}

function sizeOf(bytes: Buffer | readonly Buffer[]): number {
  if (Buffer.isBuffer(bytes)) return bytes.length;
  let size = 0;
  for (const piece of bytes) size += piece.length;
  return size;
}

/** Pack names sort by creation and never collide between processes. */
function uniquePackName(): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${time}-${process.pid.toString(36)}-${randomBytes(3).toString('hex')}`;
}
