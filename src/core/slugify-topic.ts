/**
 * The one rule that turns a topic name into its URL slug when no taxonomy entry gives
 * one: Unicode NFKC, invisible format characters (zero-width space, joiners, bidi
 * controls: category Cf) removed, lower case, letters and digits of any script kept,
 * every other run of characters collapsed to one hyphen, no hyphen at either end.
 * "Canvas apps" → "canvas-apps", "C++ / C#" → "c-c", "日本語" → "日本語".
 */
export function slugifyTopic(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Names that differ only in case or spacing are one topic. */
export function foldTopicName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
