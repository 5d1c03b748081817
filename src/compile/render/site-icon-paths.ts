/**
 * Where each site icon is served and its size in pixels: one table for the renderers
 * that link them and the build that makes them (render-site-icons.ts).
 */
export const SITE_ICONS = {
  /** 16, 32 and 48 px PNGs in one ICO: what browsers and feed readers ask the host for. */
  favicon: { path: '/favicon.ico', sizes: [16, 32, 48] },
  /** The source as SVG (a PNG source wrapped in one): pages' `rel="icon"`, the header. */
  svg: { path: '/icon.svg' },
  /** JSON Feed `favicon` (1.1: "for use in source lists", small and square). */
  small: { path: '/icon-64.png', width: 64, height: 64 },
  /** RSS 2.0 `<image>`: a GIF, JPEG or PNG at most 144 wide and 400 high. */
  rss: { path: '/icon-144.png', width: 144, height: 144 },
  /** `rel="apple-touch-icon"`, opaque: iOS fills transparency with black. */
  appleTouch: { path: '/apple-touch-icon.png', width: 180, height: 180 },
  /** JSON Feed `icon` (512 × 512) and Atom `<icon>` (RFC 4287 §4.2.5: square). */
  large: { path: '/icon-512.png', width: 512, height: 512 },
  /** Atom `<logo>` (RFC 4287 §4.2.8: twice as wide as high): the icon, padded. */
  logo: { path: '/logo.png', width: 400, height: 200 },
} as const;
