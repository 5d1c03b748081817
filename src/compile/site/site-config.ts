import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** `edgefeed.config.json`: the one place for the site's words (README, "Site settings"). */
export const SiteConfigSchema = z.object({
  title: z.string().trim().min(1).max(200).default('edgefeed'),
  description: z.string().trim().max(1000).default('News and links, by topic and by source.'),
  /** BCP 47 language tag for RSS <language>, xml:lang and JSON Feed `language`. */
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, {
      error: 'expected a language tag such as en or en-US',
    })
    .default('en'),
  /**
   * The publisher's icon, a PNG or SVG file (relative to the config file), that every
   * site icon is made from; edgefeed's own when absent (site/read-site-icon.ts).
   */
  icon: z.string().trim().min(1).optional(),
});
export type SiteConfig = z.infer<typeof SiteConfigSchema>;

/** Reads the config; a missing file means the defaults, a bad one is an error. */
export async function readSiteConfig(path: string): Promise<SiteConfig> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    return SiteConfigSchema.parse({});
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(
      `${path}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const parsed = SiteConfigSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${path} ${i.path.join('.')}: ${i.message}`);
    throw new Error(lines.join('\n'));
  }
  return parsed.data;
}
