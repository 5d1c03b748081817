const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for XML and HTML, in element content and in quoted attribute values alike
 * (XML 1.0 §2.4 and §3.1; the HTML attribute-value and data states). Characters XML
 * forbids were removed earlier by text hygiene, so the result is always well-formed.
 */
export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ENTITY[c] ?? c) : text;
}
