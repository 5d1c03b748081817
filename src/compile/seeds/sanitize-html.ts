import { decodeHTML } from 'entities';
import { parseWebUrl } from '../../core/parse-web-url.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';

/** Inline and block tags an excerpt may keep, without attributes (except a link's href). */
const KEPT_TAGS = new Set([
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'em',
  'i',
  'li',
  'ol',
  'p',
  'pre',
  'strong',
  'sub',
  'sup',
  'ul',
]);
/** Elements whose content is code or styling, never text a reader should see. */
const DROPPED_WITH_CONTENT =
  /<(script|style|template|noscript|textarea|title|xmp)\b[\s\S]*?<\/\1\s*>/gi;
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<\/?[A-Za-z][^<>]*>/g;
const EMBED = /^<iframe\b([^<>]*)>\s*<\/iframe\s*>$/i;
const ATTRIBUTE = /([A-Za-z][\w:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const TAG_NAME = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/;

/**
 * Seed HTML rebuilt from an allowlist, so that what reaches a feed reader is markup we
 * wrote: the kept tags without attributes, links only to http(s) URLs, every text run
 * decoded once and escaped again. Anything else (script, event handlers, `javascript:`
 * links, style, forms, comments, doctype and entity declarations) is dropped; the text
 * between dropped tags stays, escaped.
 */
export function sanitizeHtml(html: string): string {
  let out = '';
  let last = 0;
  const source = html.replace(DROPPED_WITH_CONTENT, ' ');
  for (const match of source.matchAll(TOKEN)) {
    out += escapeText(source.slice(last, match.index));
    out += keptTag(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeText(source.slice(last));
}

/**
 * A featured embed (`featuredContent`): one `<iframe>` with an https `src` becomes a link to
 * what it shows, titled with the iframe's `title` (else "Watch the video"). Feed readers
 * strip iframes or show nothing, and the W3C Feed Validator flags them as a security risk
 * (its HTMLValidator.acceptable_elements), so no feed or page carries one. A YouTube embed
 * links to its watch page. Anything else is not an embed and becomes undefined.
 */
export function sanitizeEmbed(html: string): string | undefined {
  const m = EMBED.exec(html.trim());
  if (!m) return undefined;
  let src: string | undefined;
  let title = '';
  for (const [, rawName = '', dq, sq, bare] of (m[1] ?? '').matchAll(ATTRIBUTE)) {
    const name = rawName.toLowerCase();
    const value = decodeHTML(dq ?? sq ?? bare ?? '');
    if (name === 'src') {
      const url = parseWebUrl(value);
      if (url.ok && url.url.startsWith('https:')) src = watchPage(url.url);
    } else if (name === 'title') {
      title = value.replace(/\s+/g, ' ').trim();
    }
  }
  if (!src) return undefined;
  return `<p><a href="${escapeHtml(src)}">${escapeHtml(title || 'Watch the video')}</a></p>`;
}

/** `https://www.youtube.com/embed/ID` (the player) → `https://www.youtube.com/watch?v=ID`. */
function watchPage(src: string): string {
  const m = /^https:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]{6,})(?:[?#]|$)/.exec(
    src,
  );
  return m ? `https://www.youtube.com/watch?v=${m[1]}` : src;
}

function escapeText(text: string): string {
  return escapeHtml(decodeHTML(text));
}

function keptTag(tag: string): string {
  const m = TAG_NAME.exec(tag);
  const name = m?.[2]?.toLowerCase() ?? '';
  if (!m || !KEPT_TAGS.has(name)) return '';
  if (m[1]) return `</${name}>`;
  if (name !== 'a') return name === 'br' ? '<br>' : `<${name}>`;
  for (const [, attr = '', dq, sq, bare] of tag.slice(2).matchAll(ATTRIBUTE)) {
    if (attr.toLowerCase() !== 'href') continue;
    const url = parseWebUrl(decodeHTML(dq ?? sq ?? bare ?? ''));
    return url.ok ? `<a href="${escapeHtml(url.url)}">` : '<a>';
  }
  return '<a>';
}
