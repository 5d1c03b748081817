/**
 * At most `maxBytes` of a body as UTF-8 text, and whether that was all of it; the rest is
 * never downloaded. Used where a short body is expected and a long one is already wrong (a
 * verification answer, a subscription request).
 */
export async function readTextPrefix(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ text: string; complete: boolean }> {
  if (body === null) return { text: '', complete: true };
  const reader = body.getReader();
  const bytes = new Uint8Array(maxBytes);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > maxBytes) {
      bytes.set(value.subarray(0, maxBytes - length), length);
      await reader.cancel();
      return { text: new TextDecoder().decode(bytes), complete: false };
    }
    bytes.set(value, length);
    length += value.byteLength;
  }
  return { text: new TextDecoder().decode(bytes.subarray(0, length)), complete: true };
}
