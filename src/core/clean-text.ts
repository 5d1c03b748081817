import { decodeHTML } from 'entities';
import { removeXmlIllegal } from './remove-xml-illegal.ts';
import { repairMojibake } from './repair-mojibake.ts';

/** What text hygiene changed, for the build report. */
export type TextStats = { mojibakeRepaired: number; illegalRemoved: number };

export function emptyTextStats(): TextStats {
  return { mojibakeRepaired: 0, illegalRemoved: 0 };
}

/*
 * Character classes (regex source) of what each step acts on. Nearly every field needs no
 * step at all, and one scan that finds none of these characters costs far less than one
 * scan per step (a 100,000-seed build spends most of its hygiene time scanning);
 * tests/core/text-hygiene-equivalence.test.ts checks the classes against the steps.
 */
/** Mojibake leads (U+00C2–U+00F4) and everything remove-xml-illegal.ts can remove. */
const SCRUBBED =
  '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u00C2-\\u00F4\\uD800-\\uDFFF\\uFFFE\\uFFFF';
/** What `\s` matches besides U+0020 (ECMA-262 WhiteSpace and LineTerminator). */
const OTHER_SPACES =
  '\\t-\\r\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). In a
 * one-line label they serve only to make it read differently from what it is ("Trojan
 * Source", CVE-2021-42574), and an unclosed one reorders whatever a reader shows next to
 * it. The marks U+200E/U+200F stay: they change no order beyond their own neighbours.
 */
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';

const MAYBE_SCRUB = new RegExp(`[${SCRUBBED}]`);
const BIDI_CONTROLS = new RegExp(`[${BIDI}]`, 'g');
const HAS_BIDI_CONTROL = new RegExp(`[${BIDI}]`);
const SPACE_RUN = /\s+/g;
// Collapsing changes a whitespace run only if it is not a single U+0020.
const HAS_ODD_SPACE = /[^\S ]| {2}/;
// Something for cleanBlock or collapseSpaces to do; for cleanLine, also `&` (an entity may
// decode to any character, so a text with one takes every step) and bidi controls.
const BLOCK_NEEDS_WORK = new RegExp(`[${SCRUBBED}${OTHER_SPACES}]| {2}`);
const LINE_NEEDS_WORK = new RegExp(`[&${SCRUBBED}${OTHER_SPACES}${BIDI}]| {2}`);

function scrub(text: string, stats: TextStats): string {
  if (!MAYBE_SCRUB.test(text)) return text;
  const repaired = repairMojibake(text);
  const legal = removeXmlIllegal(repaired.text);
  stats.mojibakeRepaired += repaired.repairs;
  stats.illegalRemoved += legal.removed;
  return legal.text;
}

/** Every run of whitespace (`\s`, newlines included) made one U+0020 space. */
export function collapseSpaces(text: string): string {
  return HAS_ODD_SPACE.test(text) ? text.replace(SPACE_RUN, ' ') : text;
}

/**
 * A one-line text (title, name): HTML entities decoded exactly once (`&amp;` and
 * `&#038;` become `&`; the renderers escape again, once), mojibake repaired, characters
 * XML forbids and bidi controls removed, whitespace and newlines collapsed to single spaces.
 */
export function cleanLine(text: string, stats: TextStats): string {
  if (!LINE_NEEDS_WORK.test(text)) return text.trim();
  const scrubbed = scrub(decodeHTML(text), stats);
  const ordered = HAS_BIDI_CONTROL.test(scrubbed) ? scrubbed.replace(BIDI_CONTROLS, '') : scrubbed;
  return collapseSpaces(ordered).trim();
}

/** A block of text or HTML (excerpt, embed): repaired, XML-illegal removed, trimmed. */
export function cleanBlock(text: string, stats: TextStats): string {
  return scrub(text, stats).trim();
}

/**
 * `cleanBlock(text)`, and that block with its spaces collapsed: an excerpt is shown both
 * ways, and one look at it usually finds that neither step has anything to do.
 */
export function cleanBlockAndCollapse(
  text: string,
  stats: TextStats,
): { block: string; collapsed: string } {
  if (!BLOCK_NEEDS_WORK.test(text)) {
    const block = text.trim();
    return { block, collapsed: block };
  }
  const block = cleanBlock(text, stats);
  return { block, collapsed: collapseSpaces(block) };
}

const TAG = /<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?-->/g;
const HTML_SIGN =
  /<\/?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/;

/** True when the text carries markup or character references a plain-text field cannot. */
export function looksLikeHtml(text: string): boolean {
  return HTML_SIGN.test(text);
}

/** Plain text from an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
export function htmlToText(html: string): string {
  const withoutTags = html.replace(TAG, ' ');
  return collapseSpaces(removeXmlIllegal(decodeHTML(withoutTags)).text).trim();
}
