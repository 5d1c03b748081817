import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

export type BuildOptions = {
  seedsDir: string;
  outDir: string;
  siteUrl: string;
  taxonomyDir: string | undefined;
  pageSize: number;
  skipInvalid: boolean;
  configPath: string;
  quiet: boolean;
  /** Build cache folder; undefined for no cache (--no-cache, and in-memory builds). */
  cacheDir?: string | undefined;
  /** The worker's config, whose FEED_MAX_AGE feeds state as their polling interval. */
  wranglerConfig?: string | undefined;
  /** The WebSub hub subscription documents advertise; default: the worker's own `/hub`. */
  hubUrl?: string | undefined;
  /** Keep running and rebuild when seeds, the config or the taxonomy change. */
  watch?: boolean;
  /**
   * Render and store only documents whose inputs changed since the cached build; an
   * unchanged one is known by its hash (the namespace holds it), so `<out>/store` may lack
   * its body. A remote deploy builds so; serving locally and --export need every body.
   */
  changedOnly?: boolean;
  /** Also write every served document as a file at its URL path here. */
  exportDir?: string | undefined;
};

export const BUILD_USAGE = `Usage: npm run build -- [options]

Compiles seed files (Markdown with YAML front matter) into a build of RSS 2.0,
Atom 1.0 and JSON Feed 1.1 documents for the site, every topic and every provider.

Options:
  --seeds DIR        folder searched recursively for *.md, *.markdown, *.txt (default: seeds)
  --out DIR          where build.json (the build: its id, counts and manifest shards) and
                     build-report.json are written (default: dist)
  --site-url URL     public base URL of the site, used in every link (default: http://127.0.0.1:8787)
  --taxonomy DIR     topic and organization data: topics/*.yaml, organizations/*.md
                     (the format of the corpus *-data folders); slugs, names, parents, logos
                     (default: the folder taxonomy beside the seeds folder, if there is one)
  --page-size N      items per feed document and per archive page, 1-1000 (default: 50)
  --hub-url URL      the WebSub hub feeds advertise, for publishers who use an external
                     one (default: the worker's own, <site-url>/hub)
  --config FILE      site title, description and language (default: edgefeed.config.json)
  --cache-dir DIR    build cache: what each seed and document was made from, so unchanged
                     ones are not read, rendered or written again; small, what CI keeps
                     (default: .cache). Document bodies are stored in <out>/store
  --no-cache         build everything from scratch and keep no cache
  --changed-only     store only the documents whose inputs changed since the cached build
                     (a remote deploy's build: the namespace holds the rest)
  --skip-invalid     publish the valid seeds and list the rejected ones instead of failing
  --export DIR       also write every served document as a file at its URL path under DIR
                     (index.html for pages), byte for byte what the worker serves
  --watch            after building, keep running and rebuild whenever a seed, the config
                     or the taxonomy changes (Ctrl-C stops; the cache is saved when idle)
  --quiet            print only problems and the one-line summary
  -h, --help         show this help

Exit status: 0 built, 1 some seed is invalid (without --skip-invalid), 2 bad usage.`;

export class UsageError extends Error {}

/** Parses build flags; throws UsageError with a one-line reason on bad usage. */
export function parseBuildArgs(argv: string[]): BuildOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const pageSize = Number(values['page-size'] ?? '50');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new UsageError(
      `--page-size must be a whole number from 1 to 1000, not ${values['page-size']}`,
    );
  }
  const siteUrl = values['site-url'] ?? 'http://127.0.0.1:8787';
  let parsedSite: URL;
  try {
    parsedSite = new URL(siteUrl);
  } catch {
    throw new UsageError(`--site-url must be an absolute URL, not ${JSON.stringify(siteUrl)}`);
  }
  if (parsedSite.protocol !== 'http:' && parsedSite.protocol !== 'https:') {
    throw new UsageError('--site-url must be an http or https URL');
  }
  const hubUrl =
    values['hub-url'] === undefined ? undefined : httpUrl('--hub-url', values['hub-url']);
  return {
    seedsDir: values.seeds ?? 'seeds',
    outDir: values.out ?? 'dist',
    siteUrl: parsedSite.href.replace(/\/+$/, ''),
    taxonomyDir: values.taxonomy ?? taxonomyBeside(values.seeds ?? 'seeds'),
    pageSize,
    skipInvalid: values['skip-invalid'] ?? false,
    configPath: values.config ?? 'edgefeed.config.json',
    quiet: values.quiet ?? false,
    cacheDir: values['no-cache'] ? undefined : (values['cache-dir'] ?? '.cache'),
    watch: values.watch ?? false,
    hubUrl,
    exportDir: values.export,
    changedOnly: values['changed-only'] ?? false,
  };
}

/**
 * The default taxonomy: a `taxonomy` folder beside the seeds folder (`seeds/` and
 * `taxonomy/` of this repository's sample site, or of a site kept the same way), so that a
 * site's topic tree travels with its seeds; none when there is no such folder.
 */
function taxonomyBeside(seedsDir: string): string | undefined {
  const dir = join(dirname(seedsDir.replace(/[\\/]+$/, '') || '.'), 'taxonomy');
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? dir : undefined;
}

/** An absolute http(s) URL given for a flag, or a UsageError naming the flag. */
function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an absolute URL, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an http or https URL`);
  }
  return url.href;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      seeds: { type: 'string' },
      out: { type: 'string' },
      'site-url': { type: 'string' },
      taxonomy: { type: 'string' },
      'page-size': { type: 'string' },
      'hub-url': { type: 'string' },
      config: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean' },
      'changed-only': { type: 'boolean' },
      quiet: { type: 'boolean' },
      watch: { type: 'boolean' },
      export: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
