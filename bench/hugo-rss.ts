import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_ROOT, generatorPath } from './prepare-corpus.ts';

export type HugoRun = { wallMs: number; feeds: number; version: string } | { skipped: string };

/**
 * Hugo's RSS-only build of the same generated seeds, the yardstick issue #11 names: the
 * same generator, seed and count, plus the generator's `providerDomain` field (Hugo cannot
 * read a nested field as a taxonomy). It renders the site feed, every topic's and every
 * provider's feed (50 items each), nothing else: pages are listed but never rendered.
 * Hugo comes from Debian (`apt-get install hugo`); without it this row is skipped.
 */
export function measureHugo(repoRoot: string, count: number, runs: number): HugoRun {
  const version = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  if (version.status !== 0) return { skipped: 'hugo is not installed (apt-get install hugo)' };
  const site = join(CACHE_ROOT, `hugo-${count}-seed1`);
  const content = join(site, 'content');
  if (!existsSync(content)) {
    mkdirSync(site, { recursive: true });
    const partial = `${content}.partial`;
    rmSync(partial, { recursive: true, force: true });
    const made = spawnSync(process.execPath, [
      generatorPath(repoRoot),
      ...['--count', String(count), '--out', partial, '--seed', '1', '--provider-domain-field'],
      '--quiet',
    ]);
    if (made.status !== 0) throw new Error(`gen-corpus failed: ${made.stderr}`);
    renameSync(partial, content);
  }
  writeFileSync(join(site, 'hugo.toml'), HUGO_CONFIG);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const out = join(site, 'public');
    rmSync(out, { recursive: true, force: true });
    const started = performance.now();
    const run = spawnSync('hugo', ['--quiet', '--source', site, '--destination', out], {
      encoding: 'utf8',
    });
    times.push(Math.round(performance.now() - started));
    if (run.status !== 0) throw new Error(`hugo failed: ${run.stderr.slice(-2000)}`);
  }
  const feeds = readdirSync(join(site, 'public'), { recursive: true }).filter((f) =>
    String(f).endsWith('.xml'),
  ).length;
  times.sort((a, b) => a - b);
  return {
    wallMs: times[Math.floor(times.length / 2)] ?? 0,
    feeds,
    version: version.stdout.split(' ')[1] ?? '?',
  };
}

const HUGO_CONFIG = `baseURL = "http://127.0.0.1:8787/"
disableKinds = ["sitemap", "robotsTXT", "404"]
[outputs]
home = ["rss"]
section = ["rss"]
taxonomy = ["rss"]
term = ["rss"]
page = []
[taxonomies]
topic = "topics"
provider = "providerDomain"
[frontmatter]
date = ["publishedDateTime", ":default"]
[services.rss]
limit = 50
[[cascade]]
[cascade.build]
render = "never"
list = "always"
`;
