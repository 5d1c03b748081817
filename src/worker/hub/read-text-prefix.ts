import { readBodyBytes } from '../read-body-bytes.ts';

/**
 * At most `maxBytes` of a body as UTF-8 text, and whether that was all of it; the rest is
 * never downloaded. Used where a short body is expected and a long one is already wrong (a
 * verification answer, a subscription request).
 */
export async function readTextPrefix(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ text: string; complete: boolean }> {
  const { bytes, complete } = await readBodyBytes(body, maxBytes);
  return { text: new TextDecoder().decode(bytes), complete };
}
