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
  const path = new URL(url).pathname.toLowerCase();
  const ext = /\.([a-z0-9]+)$/.exec(path)?.[1] ?? '';
  return BY_EXTENSION[ext] ?? 'image/jpeg';
}
