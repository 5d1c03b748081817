import { describe, expect, it } from 'vitest';
import { removeXmlIllegal } from '../../src/core/remove-xml-illegal.ts';

describe('removeXmlIllegal (XML 1.0 §2.2 Char)', () => {
  it('removes NUL and the C0 controls other than tab, LF and CR', () => {
    expect(removeXmlIllegal('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toEqual({
      text: 'abcdefg',
      removed: 6,
    });
  });

  it('keeps tab, line feed and carriage return', () => {
    expect(removeXmlIllegal('a\tb\nc\rd')).toEqual({ text: 'a\tb\nc\rd', removed: 0 });
  });

  it('removes U+FFFE, U+FFFF and lone surrogates but keeps surrogate pairs', () => {
    expect(removeXmlIllegal('x\uFFFEy\uFFFFz')).toEqual({ text: 'xyz', removed: 2 });
    expect(removeXmlIllegal('a\uD800b\uDC00c')).toEqual({ text: 'abc', removed: 2 });
    expect(removeXmlIllegal('😀')).toEqual({ text: '😀', removed: 0 });
  });
});
