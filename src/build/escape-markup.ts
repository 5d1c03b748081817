/** Text → HTML/XML text or attribute value: the five characters that can break out. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An attribute value for xml-js, which escapes only `"` itself: `&` and `<` must arrive
 * escaped or the document is not well-formed (XML 1.0 §3.1, AttValue).
 */
export function preEscapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * HTML that goes into a CDATA section. xml-js splits only the first `]]>`; every later one
 * would end the section early. `]]&gt;` is the same HTML, so nothing a reader shows changes.
 */
export function guardCdataHtml(html: string): string {
  return html.replace(/]]>/g, ']]&gt;');
}

/**
 * Plain text that goes into a CDATA section (RSS titles). The first `]]>` is split safely
 * by xml-js; later ones get a zero-width space between `]]` and `>` (documented in
 * docs/decisions.md: the only change we make to a title's visible text).
 */
export function guardCdataText(text: string): string {
  let first = true;
  return text.replace(/]]>/g, () => {
    if (first) {
      first = false;
      return ']]>';
    }
    return ']]\u200B>';
  });
}
