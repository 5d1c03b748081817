// What "no live markup from the input" means for a rendered document: no element that runs
// code or loads active content, no event-handler attribute, and every link or source is an
// http(s) URL, a path of the site or a fragment.
import { expect } from 'vitest';

/** Elements that run code, load active content or change how the page is read. */
const ACTIVE_TAGS =
  /^(script|style|object|embed|applet|form|base|svg|math|frame|frameset|!entity)$/i;

export function expectOnlySafeTags(markup: string): void {
  for (const [, name = '', attrs = ''] of markup.matchAll(
    /<\/?([!?]?[A-Za-z][\w:.-]*)([^<>]*)>/g,
  )) {
    expect(name).not.toMatch(ACTIVE_TAGS);
    for (const [, attr = '', value = ''] of attrs.matchAll(/([^\s="'/]+)(?:\s*=\s*"([^"]*)")?/g)) {
      expect(attr).not.toMatch(/^on/i);
      if (/^(href|src|url|xmlUrl|htmlUrl|domain|scheme)$/i.test(attr)) {
        expect(value).toMatch(/^(https?:\/\/|\/|#[\w-]*$)/);
      }
    }
  }
  expect(markup).not.toMatch(/<(script|style|object|embed|form)\b|<!ENTITY/i);
}
