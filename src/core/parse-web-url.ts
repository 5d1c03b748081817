/**
 * Article, image and provider links: absolute http(s) only, so that no output ever
 * carries a `javascript:`, `data:` or `file:` link that a reader might follow or run.
 * Credentials are refused (they leak and are a phishing trick); hosts are normalised by
 * the WHATWG URL parser (IDN → punycode, lower case); spaces are percent-encoded.
 */
export type ParsedUrl = { ok: true; url: string } | { ok: false; problem: string };

export function parseWebUrl(value: string): ParsedUrl {
  const raw = value.trim();
  if (raw === '') return { ok: false, problem: 'is empty' };
  if (raw.length > 2048) return { ok: false, problem: 'longer than 2048 characters' };
  if (!/^https?:\/\//i.test(raw)) {
    return {
      ok: false,
      problem: `not an absolute http(s) URL (${JSON.stringify(raw.slice(0, 60))})`,
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: `not a valid URL (${JSON.stringify(raw.slice(0, 60))})` };
  }
  if (url.username || url.password) return { ok: false, problem: 'must not contain credentials' };
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    return { ok: false, problem: `host ${JSON.stringify(url.hostname)} is not a domain name` };
  }
  return { ok: true, url: url.href };
}
