/**
 * A feed or page around its items: the items' markup is rendered once per article and
 * format and put between `head` and `tail`, `separator` between two of them, by whoever
 * assembles the document (`assembleDocument` below).
 */
export type DocumentFrame = { head: string; separator: string; tail: string };

/**
 * A document's bytes, in pieces: its frame around the items' markup (each item encoded
 * once, and shared by every document that lists it). The pieces are copied once, into the
 * buffer the store writer hashes and writes.
 */
export function assembleDocument(frame: DocumentFrame, items: readonly Buffer[]): Buffer[] {
  const parts: Buffer[] = [Buffer.from(frame.head)];
  const separator = frame.separator ? Buffer.from(frame.separator) : undefined;
  for (const [index, item] of items.entries()) {
    if (separator && index > 0) parts.push(separator);
    parts.push(item);
  }
  parts.push(Buffer.from(frame.tail));
  return parts;
}
