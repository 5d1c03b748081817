import { removeXmlIllegal } from '../../core/remove-xml-illegal.ts';

/**
 * Bigger seed files are refused before they are read (real ones are under 4 KB): this
 * bounds the memory and the parse time of one seed (docs/hostile-input.md).
 */
export const MAX_SEED_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type DecodedSeed =
  | { ok: true; text: string; illegalRemoved: number }
  | { ok: false; line: number; message: string };

/**
 * Bytes → text the YAML parser can trust: strict UTF-8 (an invalid byte is reported with
 * its offset, never replaced silently), BOM dropped, CRLF and lone CR made LF, and the
 * characters XML 1.0 forbids (NUL and other C0 controls) removed and counted.
 */
export function decodeSeedText(bytes: Uint8Array): DecodedSeed {
  if (bytes.length === 0) return { ok: false, line: 1, message: 'empty file' };
  if (bytes.length > MAX_SEED_BYTES) return { ok: false, line: 1, message: tooBig(bytes.length) };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    return {
      ok: false,
      line,
      message: `not UTF-8: invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset}`,
    };
  }
  const legal = removeXmlIllegal(text.replace(/\r\n?/g, '\n'));
  return { ok: true, text: legal.text, illegalRemoved: legal.removed };
}

/** The message for a seed over MAX_SEED_BYTES, shared by the reader that refuses it unread. */
export function tooBig(bytes: number): string {
  return `${bytes} bytes; seeds are limited to ${MAX_SEED_BYTES} bytes (1 MiB)`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    const seq = bytes.subarray(i, i + need + 1);
    try {
      utf8.decode(seq);
    } catch {
      return i; // overlong or surrogate
    }
    i += need + 1;
  }
  return i;
}
