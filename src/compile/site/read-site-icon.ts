import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SeedProblem } from '../../core/seed-problem.ts';
import { DEFAULT_SITE_ICON_SVG } from './default-site-icon.ts';

/** Larger than any icon needs to be; a bigger file is a wrong path, not an icon. */
export const MAX_SITE_ICON_BYTES = 5 * 1024 * 1024;

/** The one image every site icon is made from: the publisher's (PNG or SVG), else ours. */
export type SiteIconSource = {
  bytes: Buffer;
  format: 'png' | 'svg';
  /** What was wrong with the configured icon (then `bytes` are ours). */
  problems: SeedProblem[];
};

const OURS: SiteIconSource = {
  bytes: Buffer.from(DEFAULT_SITE_ICON_SVG),
  format: 'svg',
  problems: [],
};

/**
 * Reads the icon the site config names (`icon`, relative to the config file). A missing,
 * unreadable, too large (> 5 MB) or non-PNG/SVG file is a problem naming the config file,
 * the field and the icon; the build stops on it, or with `--skip-invalid` uses our icon
 * and says so.
 */
export async function readSiteIcon(
  configPath: string,
  icon: string | undefined,
  skipInvalid: boolean,
): Promise<SiteIconSource> {
  if (icon === undefined) return OURS;
  const path = resolve(dirname(configPath), icon);
  const wrong = (what: string): SiteIconSource => ({
    ...OURS,
    problems: [
      {
        file: configPath,
        line: 1,
        field: 'icon',
        message: `${path}: ${what}${skipInvalid ? "; using edgefeed's own icon (--skip-invalid)" : ''}`,
      },
    ],
  });
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return wrong('not a file');
    size = info.size;
  } catch {
    return wrong('no such file');
  }
  if (size > MAX_SITE_ICON_BYTES) {
    return wrong(`${size} bytes, more than the ${MAX_SITE_ICON_BYTES} an icon may have`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return wrong(`unreadable (${error instanceof Error ? error.message : String(error)})`);
  }
  // Loaded only for a configured icon (outside the try: a missing sharp is not a bad image):
  // most sites use ours, and a build should not pay for sharp's start when it makes no icon.
  const { default: sharp } = await import('sharp');
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    return wrong('not an image (expected a PNG or an SVG)');
  }
  if (format !== 'png' && format !== 'svg') {
    return wrong(`a ${format ?? 'unknown'} image; expected a PNG or an SVG`);
  }
  return { bytes, format, problems: [] };
}
