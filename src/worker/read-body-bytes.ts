/** At most `maxBytes` of a body, and whether that was all of it; the rest is not read. */
export async function readBodyBytes(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; complete: boolean }> {
  if (body === null) return { bytes: new Uint8Array(0), complete: true };
  const reader = body.getReader();
  const bytes = new Uint8Array(maxBytes);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > maxBytes) {
      await reader.cancel();
      return { bytes: bytes.subarray(0, length), complete: false };
    }
    bytes.set(value, length);
    length += value.byteLength;
  }
  return { bytes: bytes.slice(0, length), complete: true };
}
