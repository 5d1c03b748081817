import { createHash } from 'node:crypto';
import type { DocumentType } from '../../core/media-types.ts';
import type { SiteIconSource } from '../site/read-site-icon.ts';
import { icoFile } from './ico-file.ts';
import { SITE_ICONS } from './site-icon-paths.ts';

/** One icon file to serve. */
export type SiteIcon = { path: string; type: DocumentType; bytes: Buffer };

/** The icon set and a digest of its source (what the icon documents' hashes hold). */
export type SiteIcons = { digest: string; files: SiteIcon[] };

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };
const made = new Map<string, Promise<SiteIcons>>();

/**
 * Every raster icon (SITE_ICONS) from one source, rasterised and resized with sharp
 * (libvips: SVG through librsvg, PNG resampled with Lanczos), centred and padded
 * transparent when the source is not square. A process makes each set once (tests and
 * `--watch` build the same icon many times).
 */
export function renderSiteIcons(source: SiteIconSource): Promise<SiteIcons> {
  const digest = siteIconDigest(source);
  let icons = made.get(digest);
  if (icons === undefined) {
    icons = makeIcons(source, digest);
    made.set(digest, icons);
  }
  return icons;
}

/** What the icons are made from, known without making them (the build cache's key). */
export function siteIconDigest(source: SiteIconSource): string {
  return createHash('sha256').update(source.format).update(source.bytes).digest('hex');
}

async function makeIcons(source: SiteIconSource, digest: string): Promise<SiteIcons> {
  // Loaded when icons are made, not with the module: sharp and libvips are ~70 modules and a
  // native library, and a rebuild from the cache makes no icon (compile-site.ts).
  const { default: sharp } = await import('sharp');
  const { width = 0, height = 0 } = await sharp(source.bytes).metadata();
  const square = async (size: number, opaque = false): Promise<Buffer> => {
    // An SVG is rasterised at the size asked, not scaled up from its nominal pixels.
    const density =
      source.format === 'svg' ? Math.min(10000, (72 * size) / Math.max(1, width, height)) : 72;
    let image = sharp(source.bytes, { density }).resize(size, size, {
      fit: 'contain',
      background: TRANSPARENT,
    });
    if (opaque) image = image.flatten({ background: '#ffffff' });
    return image.png({ compressionLevel: 9 }).toBuffer();
  };
  const { favicon, svg, small, rss, appleTouch, large, logo } = SITE_ICONS;
  const large512 = await square(large.width);
  const logoSide = logo.height;
  const files: SiteIcon[] = [
    {
      path: favicon.path,
      type: 'ico',
      bytes: icoFile(
        await Promise.all(favicon.sizes.map(async (size) => ({ size, png: await square(size) }))),
      ),
    },
    {
      path: svg.path,
      type: 'svg',
      bytes: source.format === 'svg' ? source.bytes : wrapPng(large512, large.width),
    },
    { path: small.path, type: 'png', bytes: await square(small.width) },
    { path: rss.path, type: 'png', bytes: await square(rss.width) },
    { path: appleTouch.path, type: 'png', bytes: await square(appleTouch.width, true) },
    { path: large.path, type: 'png', bytes: large512 },
    {
      path: logo.path,
      type: 'png',
      bytes: await sharp(await square(logoSide))
        .extend({
          left: (logo.width - logoSide) / 2,
          right: (logo.width - logoSide) / 2,
          background: TRANSPARENT,
        })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    },
  ];
  return { digest, files };
}

/** A PNG source served as /icon.svg too, so pages and stylesheets need one icon URL. */
function wrapPng(png: Buffer, size: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}"><image width="${size}" height="${size}" href="data:image/png;base64,${png.toString('base64')}"/></svg>\n`,
  );
}
