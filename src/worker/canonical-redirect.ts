/** Common aliases that readers and people type, and the documents they mean. */
const SITE_ALIASES: Readonly<Record<string, string>> = {
  '/feed': '/rss.xml',
  '/rss': '/rss.xml',
  '/index.xml': '/rss.xml',
  '/atom': '/atom.xml',
};

/** Per-scope aliases: `/topics/{slug}/feed` → `/topics/{slug}/rss.xml`. */
const SCOPE_ALIASES: Readonly<Record<string, string>> = {
  feed: 'rss.xml',
  rss: 'rss.xml',
  atom: 'atom.xml',
};

/** A provider key that is a domain name, possibly typed in upper case. */
const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * Where a 301 (RFC 9110 §15.4.2) should send a canonical path, or undefined. The answer is
 * always built from a fixed prefix and segments that matched a strict pattern, and checked
 * to be a same-origin path, so the worker can never be used as an open redirect.
 */
export function findCanonicalRedirect(path: string): string | undefined {
  const alias = SITE_ALIASES[path];
  if (alias !== undefined) return alias;
  const [empty, folder, key, document, ...rest] = path.split('/');
  if (empty !== '' || rest.length > 0 || key === undefined || key === '') return undefined;
  if (folder !== 'topics' && folder !== 'providers') return undefined;
  if (!/^[A-Za-z0-9._~%-]+$/.test(key) || key === '.' || key === '..') return undefined;
  if (document === '.' || document === '..') return undefined;
  let canonicalKey = key;
  if (folder === 'providers' && DOMAIN.test(key)) canonicalKey = key.toLowerCase();
  let canonicalDocument = document ?? '';
  canonicalDocument = SCOPE_ALIASES[canonicalDocument] ?? canonicalDocument;
  if (canonicalKey === key && canonicalDocument === document) return undefined;
  return sameOriginPath(`/${folder}/${canonicalKey}/${canonicalDocument}`);
}

/** The path itself if a browser would resolve it against our origin, else undefined. */
export function sameOriginPath(path: string): string | undefined {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined;
  return path;
}
