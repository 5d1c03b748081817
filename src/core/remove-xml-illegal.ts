/**
 * XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]. `feed` writes anything through, so a single NUL in a title would
 * make the whole document ill-formed: we remove these characters from every field, in
 * every format (JSON too, so the three formats carry the same text).
 */
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function removeXmlIllegal(text: string): { text: string; removed: number } {
  let removed = 0;
  const cleaned = text.replace(XML_ILLEGAL, () => {
    removed++;
    return '';
  });
  return { text: cleaned, removed };
}
