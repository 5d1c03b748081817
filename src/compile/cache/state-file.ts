import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** A typed section of a state file. */
export type Section = Uint8Array | Int32Array | Uint32Array | Float64Array;
type Kind = 'u8' | 'i32' | 'u32' | 'f64';

const MAGIC = Buffer.from('EFSTATE1');

/** A state file that is missing, torn or corrupt: why it cannot be used, in a few words. */
export class StateFileError extends Error {}

/**
 * Writes a state file: magic, a JSON header, typed sections (each 8-byte aligned, so that
 * reading is a view, not a copy) and a CRC-32 of all of it, through a temporary file and a
 * rename, so a reader sees the old file or the new one, never half of one.
 */
export function writeStateFile(
  path: string,
  header: Record<string, unknown>,
  sections: ReadonlyMap<string, Section>,
): void {
  const list = [...sections].map(([name, data]) => [name, kindOf(data), data.byteLength]);
  const head = Buffer.from(JSON.stringify({ header, sections: list }));
  const parts: Uint8Array[] = [MAGIC, u32(head.length), head, pad(MAGIC.length + 4 + head.length)];
  let at = parts.reduce((sum, p) => sum + p.length, 0);
  for (const data of sections.values()) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    parts.push(bytes, pad(at + bytes.length));
    at += bytes.length + ((8 - ((at + bytes.length) % 8)) % 8);
  }
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  parts.push(u32(crc));
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    for (const part of parts) writeSync(fd, part);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/**
 * Reads a state file whole and lays out its sections, leaving the checksum to `check()`
 * (a CRC-32 of the whole file: ~0.1 s at 50 MB), so that a reader can start work that only
 * looks at a few sections (a stat thread) before it. Nothing read may be trusted until
 * check() returned. A layout that does not decode is reported as the checksum finds it.
 */
export function openStateFile(path: string): {
  header: unknown;
  sections: Map<string, Section>;
  check: () => void;
} {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    throw new StateFileError(`${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (file.length < MAGIC.length + 8 || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw new StateFileError('not a state file');
  const body = file.subarray(0, file.length - 4);
  const check = () => {
    if (crc32(body) !== file.readUInt32LE(file.length - 4))
      throw new StateFileError('checksum mismatch: truncated or corrupt');
  };
  try {
    const { header, sections } = layOut(file, body.length);
    return { header, sections, check };
  } catch (error) {
    check();
    if (error instanceof StateFileError) throw error;
    throw new StateFileError('a header that does not decode');
  }
}

function layOut(file: Buffer, bodyLength: number) {
  const headLength = file.readUInt32LE(MAGIC.length);
  let at = MAGIC.length + 4;
  const parsed = JSON.parse(file.toString('utf8', at, at + headLength)) as {
    header: unknown;
    sections: [string, Kind, number][];
  };
  at = align(at + headLength);
  const sections = new Map<string, Section>();
  for (const [name, kind, length] of parsed.sections) {
    if (at + length > bodyLength) throw new StateFileError('a section runs past the end');
    sections.set(name, view(file, at, length, kind));
    at = align(at + length);
  }
  return { header: parsed.header, sections };
}

function view(file: Buffer, at: number, length: number, kind: Kind): Section {
  // A view when aligned (a large file read whole is its own ArrayBuffer); else a copy.
  const offset = file.byteOffset + at;
  const buffer = offset % 8 === 0 ? file.buffer : file.buffer.slice(offset, offset + length);
  const start = offset % 8 === 0 ? offset : 0;
  if (kind === 'u8') return new Uint8Array(buffer, start, length);
  if (kind === 'i32') return new Int32Array(buffer, start, length / 4);
  if (kind === 'u32') return new Uint32Array(buffer, start, length / 4);
  return new Float64Array(buffer, start, length / 8);
}

function kindOf(data: Section): Kind {
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Uint32Array) return 'u32';
  if (data instanceof Float64Array) return 'f64';
  return 'u8';
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

function align(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

function pad(end: number): Uint8Array {
  return new Uint8Array((8 - (end % 8)) % 8);
}

type SectionKinds = { u8: Uint8Array; i32: Int32Array; u32: Uint32Array; f64: Float64Array };
const CONSTRUCTORS = { u8: Uint8Array, i32: Int32Array, u32: Uint32Array, f64: Float64Array };

/** A section of the given kind, or a StateFileError naming it. */
export function takeSection<K extends Kind>(
  sections: ReadonlyMap<string, Section>,
  name: string,
  kind: K,
): SectionKinds[K] {
  const data = sections.get(name);
  if (!(data instanceof CONSTRUCTORS[kind])) throw new StateFileError(`no ${name} section`);
  return data as SectionKinds[K];
}
