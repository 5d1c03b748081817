import { removeXmlIllegal } from '../core/remove-xml-illegal.ts';

/** Bigger seed files are refused before parsing: real ones are under 64 KB. */
export const MAX_SEED_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type DecodedSeed =
  | { ok: true; text: string; illegalRemoved: number }
  | { ok: false; message: string };

/**
 * Bytes → text the YAML parser can trust: strict UTF-8 (an invalid byte is reported with
 * its offset, never replaced silently), BOM dropped, CRLF and lone CR made LF, and the
 * characters XML 1.0 forbids (NUL and other C0 controls) removed and counted.
 */
export function decodeSeedText(bytes: Uint8Array): DecodedSeed {
  if (bytes.length === 0) return { ok: false, message: 'empty file' };
  if (bytes.length > MAX_SEED_BYTES) {
    return { ok: false, message: `${bytes.length} bytes; seeds are limited to ${MAX_SEED_BYTES}` };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return {
      ok: false,
      message: `not UTF-8: invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${offset}`,
    };
  }
  const legal = removeXmlIllegal(text.replace(/\r\n?/g, '\n'));
  return { ok: true, text: legal.text, illegalRemoved: legal.removed };
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
