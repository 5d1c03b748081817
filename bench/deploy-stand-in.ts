// node bench/deploy-stand-in.ts — a real `npm run deploy` of ../shared/corpus/powerapps
// against the Cloudflare API stand-in (tests/support/cloudflare-api): requests, keys and
// bytes written, seconds; then again after editing one seed, and once more unchanged.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandIn } from '../tests/support/cloudflare-api/stand-in.ts';
import { applyChange, publishedSeed } from './seed-changes.ts';

const root = join(import.meta.dirname, '..');
const corpus = join(root, '../shared/corpus/powerapps');
if (!existsSync(corpus)) {
  console.log(`deploy-stand-in: skipped, ${corpus} is absent (it lives beside the repository)`);
  process.exit(0);
}
const ACCOUNT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'bench-token-0123456789';
// The FEEDS id in wrangler.toml: the deploy finds the namespace as a user's would.
const NAMESPACE = '00000000000000000000000000000000';
const standIn = await startStandIn({ accountId: ACCOUNT, token: TOKEN, namespaces: [NAMESPACE] });
const work = mkdtempSync(join(tmpdir(), 'edgefeed-deploy-bench-'));
const seeds = join(work, 'seeds');
cpSync(corpus, seeds, { recursive: true });
const namespace = standIn.namespace(NAMESPACE);

async function deploy(label: string): Promise<void> {
  const before = new Map(namespace.values);
  const first = standIn.requests.length;
  const started = performance.now();
  // Not spawnSync: the stand-in answers from this process's event loop.
  const result = await promisify(execFile)(
    process.execPath,
    [
      join(root, 'scripts/deploy.ts'),
      ...['--seeds', seeds, '--out', join(work, 'out'), '--cache-dir', join(work, 'cache')],
      ...['--site-url', 'https://feeds.example.org', '--quiet'],
    ],
    {
      env: {
        ...process.env,
        CLOUDFLARE_API_BASE_URL: standIn.baseUrl,
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
        EDGEFEED_DEPLOY_TOKEN: '',
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const requests = standIn.requests.slice(first);
  const kinds = new Map<string, number>();
  for (const r of requests) {
    const kind = `${r.method} ${r.path.replace(/^.*\/namespaces\/[^/]+/, '').replace(/\/values\/.*/, '/values/:key') || '/'}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const written = [...namespace.values].filter(([key, v]) => before.get(key) !== v).length;
  const deleted = [...before.keys()].filter((key) => !namespace.values.has(key)).length;
  const bytes = requests.reduce((sum, r) => sum + (r.method === 'GET' ? 0 : r.bytes), 0);
  console.log(
    `${label}: ${seconds.toFixed(1)} s (build included), ${requests.length} requests (${[...kinds].map(([k, n]) => `${n}× ${k}`).join(', ')}), ${written} keys written (pointer included), ${deleted} deleted, ${bytes} bytes sent; namespace holds ${namespace.values.size} keys`,
  );
  const summary = result.stdout.split('\n').find((line) => line.startsWith('deploy '));
  console.log(`  ${summary ?? ''}`);
}

try {
  await deploy('cold deploy');
  const files = readdirSync(seeds)
    .filter((name) => name.endsWith('.md'))
    .sort();
  applyChange('edit', seeds, publishedSeed(seeds, files, files.length - 1), 1);
  await deploy('after editing one seed');
  await deploy('unchanged');
} finally {
  await standIn.close();
}
