import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { SeedProblem } from '../../core/seed-problem.ts';

/** A topic entry of the corpus data format (`topics/*.yaml`). */
export const TaxonomyTopicSchema = z.object({
  _id: z.string().min(1),
  name: z.string().min(1),
  parent: z.string().optional().nullable(),
  keywords: z.array(z.unknown()).optional().nullable(),
});
export type TaxonomyTopic = z.infer<typeof TaxonomyTopicSchema>;

/** An organization entry (`organizations/*.md`): display name and logo of a provider. */
export const TaxonomyOrganizationSchema = z.object({
  _id: z.string().optional(),
  domain: z.string().optional(),
  name: z.string().min(1),
  images: z
    .array(z.object({ url: z.string(), width: z.number().optional() }))
    .optional()
    .nullable(),
});
export type TaxonomyOrganization = z.infer<typeof TaxonomyOrganizationSchema>;

export type Taxonomy = {
  topics: TaxonomyTopic[];
  organizations: { domain: string; name: string; logo: string | undefined }[];
};

/**
 * Reads `<dir>/topics` and `<dir>/organizations` (YAML files, or Markdown with YAML
 * front matter). Relative logo paths are resolved against the site of `_config.yml`
 * (`url` + `baseurl`) when there is one, else dropped.
 */
export async function loadTaxonomy(
  dir: string,
): Promise<{ taxonomy: Taxonomy; problems: SeedProblem[] }> {
  const problems: SeedProblem[] = [];
  const taxonomy: Taxonomy = { topics: [], organizations: [] };
  const base = await readSiteBase(dir);
  for (const { name, data } of await readEntries(dir, 'topics', problems)) {
    const parsed = TaxonomyTopicSchema.safeParse(data);
    if (parsed.success) taxonomy.topics.push(parsed.data);
    else problems.push(...toProblems(name, parsed.error));
  }
  for (const { name, data } of await readEntries(dir, 'organizations', problems)) {
    const parsed = TaxonomyOrganizationSchema.safeParse(data);
    if (!parsed.success) {
      problems.push(...toProblems(name, parsed.error));
      continue;
    }
    const domain = (parsed.data.domain ?? parsed.data._id ?? '').trim().toLowerCase();
    if (!domain) {
      problems.push({ file: name, line: 1, field: 'domain', message: 'missing' });
      continue;
    }
    const smallest = [...(parsed.data.images ?? [])].sort(
      (a, b) => (a.width ?? 0) - (b.width ?? 0),
    )[0];
    taxonomy.organizations.push({
      domain,
      name: parsed.data.name.trim(),
      logo: resolveLogo(smallest?.url, base),
    });
  }
  return { taxonomy, problems };
}

async function readEntries(dir: string, folder: string, problems: SeedProblem[]) {
  const entries: { name: string; data: unknown }[] = [];
  let names: string[];
  try {
    names = (await readdir(join(dir, folder))).filter((n) => /\.(ya?ml|md)$/i.test(n)).sort();
  } catch {
    return entries; // a taxonomy may have only one of the two folders
  }
  for (const file of names) {
    const name = `${folder}/${file}`;
    try {
      const text = (await readFile(join(dir, folder, file), 'utf8')).replace(/\r\n?/g, '\n');
      const front = /^---\n([\s\S]*?)\n---/.exec(text);
      entries.push({ name, data: parse(front ? (front[1] ?? '') : text, { maxAliasCount: 50 }) });
    } catch (error) {
      problems.push({
        file: name,
        line: 1,
        field: '(file)',
        message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
      });
    }
  }
  return entries;
}

async function readSiteBase(dir: string): Promise<string | undefined> {
  try {
    const config = parse(await readFile(join(dir, '_config.yml'), 'utf8')) as Record<
      string,
      unknown
    >;
    if (typeof config.url !== 'string') return undefined;
    const baseurl = typeof config.baseurl === 'string' ? config.baseurl : '';
    return `${config.url.replace(/\/+$/, '')}${baseurl.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

function resolveLogo(url: string | undefined, base: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^https?:\/\//i.test(url)) return url;
  return base && url.startsWith('/') ? `${base}${url}` : undefined;
}

function toProblems(file: string, error: z.ZodError): SeedProblem[] {
  return error.issues.map((i) => ({
    file,
    line: 1,
    field: i.path.join('.') || '(entry)',
    message: i.message,
  }));
}
