/** Image media type from a URL's extension; image/jpeg when the URL does not say. */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
};

export function imageMediaType(url: string): string {
  // The path of an absolute http(s) URL (validated at the seed): after the authority, before
  // any query or fragment. Parsing a URL object for it cost more than rendering the item.
  const authority = url.indexOf('//');
  const slash = url.indexOf('/', authority < 0 ? 0 : authority + 2);
  if (slash < 0) return 'image/jpeg';
  const path = url.slice(slash).split(/[?#]/, 1)[0]?.toLowerCase() ?? '';
  const ext = /\.([a-z0-9]+)$/.exec(path)?.[1] ?? '';
  return BY_EXTENSION[ext] ?? 'image/jpeg';
}
