import { decodeHTML } from 'entities';
import { removeXmlIllegal } from './remove-xml-illegal.ts';
import { repairMojibake } from './repair-mojibake.ts';

/** What text hygiene changed, for the build report. */
export type TextStats = { mojibakeRepaired: number; illegalRemoved: number };

export function emptyTextStats(): TextStats {
  return { mojibakeRepaired: 0, illegalRemoved: 0 };
}

function scrub(text: string, stats: TextStats): string {
  const repaired = repairMojibake(text);
  const legal = removeXmlIllegal(repaired.text);
  stats.mojibakeRepaired += repaired.repairs;
  stats.illegalRemoved += legal.removed;
  return legal.text;
}

/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). In a
 * one-line label they serve only to make it read differently from what it is ("Trojan
 * Source", CVE-2021-42574), and an unclosed one reorders whatever a reader shows next to
 * it. The marks U+200E/U+200F stay: they change no order beyond their own neighbours.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * A one-line text (title, name): HTML entities decoded exactly once (`&amp;` and
 * `&#038;` become `&`; the renderers escape again, once), mojibake repaired, characters
 * XML forbids and bidi controls removed, whitespace and newlines collapsed to single spaces.
 */
export function cleanLine(text: string, stats: TextStats): string {
  return scrub(decodeHTML(text), stats).replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/** A block of text or HTML (excerpt, embed): repaired, XML-illegal removed, trimmed. */
export function cleanBlock(text: string, stats: TextStats): string {
  return scrub(text, stats).trim();
}

const TAG = /<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?-->/g;

/** True when the text carries markup or character references a plain-text field cannot. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/.test(
    text,
  );
}

/** Plain text from an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
export function htmlToText(html: string): string {
  const withoutTags = html.replace(TAG, ' ');
  return removeXmlIllegal(decodeHTML(withoutTags)).text.replace(/\s+/g, ' ').trim();
}
