import { describe, expect, it } from 'vitest';
import { parseWebUrl } from '../../src/core/parse-web-url.ts';

describe('parseWebUrl', () => {
  it('accepts absolute http(s) URLs', () => {
    expect(parseWebUrl('https://example.com/a?b=1&c=2')).toEqual({
      ok: true,
      url: 'https://example.com/a?b=1&c=2',
    });
  });

  it('normalises IDN hosts to punycode and encodes spaces', () => {
    expect(parseWebUrl('https://bücher.example/a b')).toEqual({
      ok: true,
      url: 'https://xn--bcher-kva.example/a%20b',
    });
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>',
    'file:///etc/passwd',
    '/relative/path',
    '//evil.example/x',
    'ftp://example.com/',
  ])('rejects %j, which is not an absolute http(s) URL', (value) => {
    expect(parseWebUrl(value)).toMatchObject({ ok: false });
  });

  it('rejects credentials in the URL', () => {
    expect(parseWebUrl('https://user:pass@example.com/')).toEqual({
      ok: false,
      problem: 'must not contain credentials',
    });
  });
});
