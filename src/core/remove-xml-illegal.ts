/**
 * XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]. A renderer writes text through as it is, so a single NUL in a title would
 * make the whole document ill-formed: we remove these characters from every field, in
 * every format (JSON too, so the three formats carry the same text).
 */
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// A cheap first look: most text has none of these, and then the lookaround pass is skipped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const MAYBE_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

export function removeXmlIllegal(text: string): { text: string; removed: number } {
  if (!MAYBE_ILLEGAL.test(text)) return { text, removed: 0 };
  let removed = 0;
  const cleaned = text.replace(XML_ILLEGAL, () => {
    removed++;
    return '';
  });
  return { text: cleaned, removed };
}
