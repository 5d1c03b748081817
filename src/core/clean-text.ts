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
 * A one-line text (title, name): HTML entities decoded exactly once (`&amp;` and
 * `&#038;` become `&`; the renderers escape again, once), mojibake repaired, characters
 * XML forbids removed, whitespace and newlines collapsed to single spaces.
 */
export function cleanLine(text: string, stats: TextStats): string {
  return scrub(decodeHTML(text), stats).replace(/\s+/g, ' ').trim();
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
