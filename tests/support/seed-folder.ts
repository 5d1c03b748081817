// Tiny seed folders written to a temporary directory, so each test states its input.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type SeedFields = {
  title?: string;
  date?: string;
  url?: string;
  domain?: string;
  provider?: string;
  topics?: string[];
  published?: boolean;
  excerpt?: string;
  extra?: string;
};

/** A seed file in the real format, with sensible defaults for what a test does not care about. */
export function seedText(f: SeedFields = {}): string {
  const lines = ['---', 'category: news'];
  lines.push(`title: ${JSON.stringify(f.title ?? 'A title')}`);
  if (f.excerpt !== undefined) lines.push(`excerpt: ${JSON.stringify(f.excerpt)}`);
  lines.push(`publishedDateTime: ${f.date ?? '2021-10-26T10:29:00Z'}`);
  lines.push(`webUrl: ${JSON.stringify(f.url ?? 'https://example.com/a')}`);
  lines.push('type: article');
  if (f.published !== undefined) lines.push(`published: ${f.published}`);
  lines.push(
    'provider:',
    `  name: ${JSON.stringify(f.provider ?? 'Example')}`,
    `  domain: ${f.domain ?? 'example.com'}`,
  );
  lines.push('topics:', ...(f.topics ?? ['AI']).map((t) => `  - ${JSON.stringify(t)}`));
  if (f.extra) lines.push(f.extra);
  lines.push('secured: "TOP-SECRET-VALUE-abc123=="', '---', '');
  return lines.join('\n');
}

/** Writes `{ relativePath: content }` under a fresh temporary folder and returns it. */
export async function writeSeedFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-seeds-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return dir;
}
