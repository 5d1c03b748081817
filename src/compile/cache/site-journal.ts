import { appendFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { type JournalEntry, JournalEntrySchema } from './site-state-schema.ts';
import { StateFileError } from './state-file.ts';

/** The journal beside the snapshot: what rebuilds since it changed, one entry each. */
export const JOURNAL_FILE = 'site-journal.bin';

/** Past this size the next build writes a new snapshot instead of one more entry. */
export const JOURNAL_LIMIT_BYTES = 16 * 2 ** 20;

/**
 * Appends one entry: its length, a CRC-32 of it, and the entry as JSON, in one write. An
 * entry is what an edit changed (at 100,000 seeds ~1 MB, mostly the ~30 manifest shards it
 * changed), where rewriting the snapshot costs what the site costs (~1 s of CPU); a write
 * cut short is a torn entry, which readJournal detects.
 */
export function appendJournal(path: string, entry: JournalEntry): void {
  const payload = Buffer.from(JSON.stringify(entry));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  appendFileSync(path, Buffer.concat([head, payload]));
}

/**
 * The entries of the journal for snapshot `generation`, oldest first, and its size; none
 * when there is no journal. Entries of another generation belong to an older snapshot (a
 * build stopped between writing a snapshot and removing the journal): skipped. A torn or
 * corrupt entry throws StateFileError: the cache is then not trusted at all.
 */
export function readJournal(
  path: string,
  generation: string,
): { entries: JournalEntry[]; bytes: number } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return { entries: [], bytes: 0 };
  }
  const entries: JournalEntry[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 8 > file.length) throw new StateFileError('journal: torn entry');
    const length = file.readUInt32LE(at);
    const end = at + 8 + length;
    if (end > file.length) throw new StateFileError('journal: torn entry');
    const payload = file.subarray(at + 8, end);
    if (crc32(payload) !== file.readUInt32LE(at + 4))
      throw new StateFileError('journal: checksum mismatch');
    const parsed = JournalEntrySchema.safeParse(JSON.parse(payload.toString('utf8')));
    if (!parsed.success) throw new StateFileError('journal: an entry of another format');
    if (parsed.data.generation === generation) entries.push(parsed.data);
    at = end;
  }
  return { entries, bytes: file.length };
}

export function removeJournal(path: string): void {
  rmSync(path, { force: true });
}

export function journalBytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
