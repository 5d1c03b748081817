import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runBuildCommand } from '../../src/compile/cli.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { readStoredBuild } from '../support/stored-build.ts';

/** Runs the command with stdout and stderr captured. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runBuildCommand(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('npm run build', () => {
  it('--help explains every flag', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--seeds',
      '--out',
      '--site-url',
      '--taxonomy',
      '--page-size',
      '--config',
      '--skip-invalid',
      '--cache-dir',
      '--no-cache',
      '--quiet',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    [['--page-size', '0'], '--page-size must be a whole number from 1 to 1000'],
    [['--site-url', 'ftp://x'], '--site-url must be an http or https URL'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('prints the summary: files read, published, unpublished, invalid, merged, feeds, documents, bytes, ms', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText(),
      'b.md': seedText({ url: 'https://example.com/b', published: false }),
    });
    const out = join(dir, 'out');
    const { code, stdout } = await run([
      '--seeds',
      dir,
      '--out',
      out,
      '--site-url',
      'https://feeds.example.org/',
      '--no-cache',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /files read 2: published 1, unpublished 1, invalid 0, duplicates merged 0/,
    );
    expect(stdout).toMatch(
      /feeds 3 \(site \+ 1 topics \+ 1 providers\), documents \d+, \d+ bytes, \d+ ms/,
    );
    const build = readStoredBuild(out);
    expect(build.paths).toContain('/rss.xml');
    const report = JSON.parse(await readFile(join(out, 'build-report.json'), 'utf8')) as {
      published: number;
    };
    expect(report.published).toBe(1);
    // --site-url's trailing slash is dropped once, so links never hold `//`.
    expect(build.text('/rss.xml')).toContain('https://feeds.example.org/rss.xml');
  });
});
