// What the W3C Feed Validator checks (issue #18), held by our own assertions so that
// `npm test` needs no Python: raster icons of the sizes each format asks for (decoded with
// pngjs, not by the library that made them), item content without the elements the
// validator flags, and archive pages linked both ways. bench/w3c-validate.py runs the
// validator's engine itself when it is present.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import { runBuildCommand } from '../../src/compile/cli.ts';
import { type BuiltDocument, compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { readWithFeedsmith } from '../support/feed-checks.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

const SITE = 'https://feeds.example.org';
const PAGE = 5;
const YOUTUBE = 'https://www.youtube.com/embed/rigZ1FvrgSY';

/** Decodes a PNG for real; throws on anything else. */
function png(bytes: Buffer): {
  width: number;
  height: number;
  at: (x: number, y: number) => number[];
} {
  const image = PNG.sync.read(bytes);
  const at = (x: number, y: number) => {
    const i = (image.width * y + x) * 4;
    return [...image.data.subarray(i, i + 4)];
  };
  return { width: image.width, height: image.height, at };
}

/** The PNG images of an ICO file, as its directory lists them. */
function icoImages(bytes: Buffer): { listed: number; image: ReturnType<typeof png> }[] {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1); // an icon, not a cursor
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    return { listed: bytes.readUInt8(entry), image: png(bytes.subarray(offset, offset + size)) };
  });
}

/** Runs the build command with stdout and stderr captured. */
async function run(argv: string[]) {
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runBuildCommand(argv), stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function documentAt(documents: BuiltDocument[], url: string): BuiltDocument {
  const path = url.startsWith(SITE) ? url.slice(SITE.length) : url;
  const found = documents.find((d) => d.path === path);
  if (!found) throw new Error(`${url} is not in the build`);
  return found;
}

/** Elements and attributes of an HTML fragment, parsed by htmlparser2. */
function elementsOf(html: string): { name: string; attributes: string[] }[] {
  const found: { name: string; attributes: string[] }[] = [];
  const parser = new Parser({
    onopentag: (name, attributes) => found.push({ name, attributes: Object.keys(attributes) }),
  });
  parser.write(html);
  parser.end();
  return found;
}

async function site(count: number, config?: object, files: Record<string, Uint8Array> = {}) {
  const seeds: Record<string, string | Uint8Array> = { ...files };
  for (let i = 1; i <= count; i++) {
    seeds[`s${String(i).padStart(3, '0')}.md`] = seedText({
      url: `https://example.com/${String(i).padStart(3, '0')}`,
      date: new Date(Date.UTC(2021, 0, i)).toISOString(),
      title: `Story ${i}`,
      extra:
        i === 3
          ? `featuredContent: ${JSON.stringify(`<iframe width="800" src="${YOUTUBE}" title="The launch" allowfullscreen onload="x()"></iframe>`)}`
          : undefined,
    });
  }
  const dir = await writeSeedFolder(seeds);
  const configPath = join(dir, 'site.json');
  if (config) await writeFile(configPath, JSON.stringify(config));
  return { dir, configPath };
}

describe('every reader takes it', () => {
  it('makes every icon from one source at the sizes each format asks for, and links them', async () => {
    const { dir } = await site(1);
    const { documents } = await compileBuild(buildOptions(dir, { siteUrl: SITE }));

    const favicon = documentAt(documents, '/favicon.ico');
    expect(favicon.type).toBe('ico');
    const inIco = icoImages(favicon.bytes);
    expect(inIco.map((i) => [i.listed, i.image.width, i.image.height])).toEqual([
      [16, 16, 16],
      [32, 32, 32],
      [48, 48, 48],
    ]);

    // RSS 2.0 <image>: GIF, JPEG or PNG, at most 144 wide and 400 high, size stated.
    const rss = documentAt(documents, '/rss.xml').body;
    const image =
      /<image><url>([^<]+)<\/url>.*<width>(\d+)<\/width><height>(\d+)<\/height><\/image>/.exec(rss);
    if (!image) throw new Error(`no <image> with width and height in ${rss.slice(0, 600)}`);
    const channelImage = png(documentAt(documents, image[1] ?? '').bytes);
    expect([channelImage.width, channelImage.height]).toEqual([Number(image[2]), Number(image[3])]);
    expect(channelImage.width).toBeLessThanOrEqual(144);
    expect(channelImage.height).toBeLessThanOrEqual(400);

    // JSON Feed 1.1: icon 512 × 512, favicon small; both square and raster.
    const json = JSON.parse(documentAt(documents, '/feed.json').body) as Record<string, string>;
    const icon = png(documentAt(documents, json.icon ?? '').bytes);
    const small = png(documentAt(documents, json.favicon ?? '').bytes);
    expect([icon.width, icon.height]).toEqual([512, 512]);
    expect([small.width, small.height]).toEqual([64, 64]);

    // Atom: a square <icon> (RFC 4287 §4.2.5) and a 2:1 <logo> (§4.2.8).
    const atom = documentAt(documents, '/atom.xml').body;
    const atomIcon = png(
      documentAt(documents, /<icon>([^<]+)<\/icon>/.exec(atom)?.[1] ?? '').bytes,
    );
    const atomLogo = png(
      documentAt(documents, /<logo>([^<]+)<\/logo>/.exec(atom)?.[1] ?? '').bytes,
    );
    expect(atomIcon.width).toBe(atomIcon.height);
    expect(atomLogo.width).toBe(2 * atomLogo.height);

    // Pages: the favicon, the SVG and an opaque apple-touch-icon.
    const page = documentAt(documents, '/').body;
    for (const link of [
      /<link rel="icon" href="\/favicon.ico"/,
      /<link rel="icon" href="\/icon.svg" type="image\/svg\+xml">/,
      /<link rel="apple-touch-icon" href="\/apple-touch-icon.png">/,
    ]) {
      expect(page).toMatch(link);
    }
    const touch = png(documentAt(documents, '/apple-touch-icon.png').bytes);
    expect([touch.width, touch.height]).toEqual([180, 180]);
    expect(touch.at(0, 0)[3]).toBe(255);
    expect(documentAt(documents, '/icon.svg').body).toMatch(/^<svg /);
    // Our own icon: orange in the middle of the rounded square's edge.
    expect(icon.at(256, 4).slice(0, 3)).toEqual([0xf2, 0x65, 0x22]);
  });

  it("makes the icons from the publisher's own PNG named in the site config", async () => {
    const source = new PNG({ width: 300, height: 100 });
    for (let i = 0; i < source.data.length; i += 4) source.data.set([0, 128, 0, 255], i);
    const { dir, configPath } = await site(
      1,
      { icon: 'brand/logo.png' },
      {
        'brand/logo.png': PNG.sync.write(source),
      },
    );
    const { documents, report } = await compileBuild(buildOptions(dir, { configPath }));
    expect(report.problems).toEqual([]);
    const icon = png(documentAt(documents, '/icon-512.png').bytes);
    expect([icon.width, icon.height]).toEqual([512, 512]);
    // A wide source is centred, not stretched: green in the middle, clear above it.
    expect(icon.at(256, 256)).toEqual([0, 128, 0, 255]);
    expect(icon.at(256, 10)[3]).toBe(0);
    expect(documentAt(documents, '/icon.svg').body).toContain('data:image/png;base64,');
  });

  it('stops on an icon that is missing, too large or not a PNG or SVG, naming the config, the field and the file', async () => {
    const cases: [string, Record<string, Uint8Array>, RegExp][] = [
      ['gone.png', {}, /gone\.png: no such file/],
      ['notes.png', { 'notes.png': Buffer.from('just text') }, /notes\.png: not an image/],
      [
        'huge.png',
        { 'huge.png': Buffer.alloc(5 * 1024 * 1024 + 1) },
        /huge\.png: 5242881 bytes, more than the 5242880/,
      ],
    ];
    for (const [icon, files, problem] of cases) {
      const { dir, configPath } = await site(1, { icon }, files);
      const stopped = await compileBuild(buildOptions(dir, { configPath }));
      expect(stopped.ok).toBe(false);
      expect(stopped.report.problems).toHaveLength(1);
      expect(stopped.report.problems[0]).toMatch(new RegExp(`^${configPath}:1 icon: `));
      expect(stopped.report.problems[0]).toMatch(problem);

      const skipped = await compileBuild(buildOptions(dir, { configPath, skipInvalid: true }));
      expect(skipped.report.problems[0]).toMatch(/using edgefeed's own icon \(--skip-invalid\)/);
      expect(png(documentAt(skipped.documents, '/icon-512.png').bytes).at(256, 4)).toEqual([
        0xf2, 0x65, 0x22, 255,
      ]);
    }
  });

  it('exits 1 on a bad icon, and builds with our icon under --skip-invalid, saying so', async () => {
    const { dir, configPath } = await site(1, { icon: 'gone.svg' });
    const out = join(dir, '.cli');
    const args = ['--seeds', dir, '--config', configPath, '--out', out, '--no-cache', '--quiet'];
    const stopped = await run(args);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(
      `${configPath}:1 icon: ${join(dir, 'gone.svg')}: no such file`,
    );
    const skipped = await run([...args, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain("no such file; using edgefeed's own icon (--skip-invalid)");
  });

  it('keeps item content to elements the validator accepts: an embedded video becomes a link', async () => {
    const { dir } = await site(3);
    const { documents } = await compileBuild(buildOptions(dir, { siteUrl: SITE }));
    // What the W3C validator flags as SecurityRisk: elements outside its acceptable list
    // (feedvalidator/validators.py), `on*` attributes and `style`.
    const flagged =
      /^(iframe|frame|frameset|object|embed|applet|script|style|link|meta|base|svg|math)$/;
    const contents = [
      ...documentAt(documents, '/rss.xml').body.matchAll(/<content:encoded>([^<]*)</g),
      ...documentAt(documents, '/atom.xml').body.matchAll(/<content type="html">([^<]*)</g),
    ].map((m) => decodeHTML(m[1] ?? ''));
    expect(contents.length).toBeGreaterThan(0);
    for (const html of contents) {
      for (const element of elementsOf(html)) {
        expect(element.name).not.toMatch(flagged);
        for (const attribute of element.attributes) expect(attribute).not.toMatch(/^(on|style$)/);
      }
    }
    const video = contents.find((c) => c.includes('youtube'));
    expect(video).toContain('<a href="https://www.youtube.com/watch?v=rigZ1FvrgSY">The launch</a>');
  });

  it('links every archive page both ways: next-archive to the page that follows, fixed at sealing', async () => {
    const { dir } = await site(17);
    const { documents } = await compileBuild(buildOptions(dir, { siteUrl: SITE, pageSize: PAGE }));
    const pages = Math.floor(17 / PAGE);
    for (const format of ['rss.xml', 'atom.xml']) {
      const reached: string[] = [];
      let url: string | undefined = `${SITE}/archive/1/${format}`;
      while (url !== undefined && documents.some((d) => d.path === url?.slice(SITE.length))) {
        reached.push(url);
        const parsed = readWithFeedsmith(documentAt(documents, url).body);
        const links =
          parsed.format === 'rss'
            ? (parsed.feed.atom?.links ?? [])
            : parsed.format === 'atom'
              ? (parsed.feed.links ?? [])
              : [];
        const rels = new Set(links.map((l) => l.rel));
        // The validator's ArchiveIncomplete: an archive needs prev- or next-archive.
        expect(rels.has('prev-archive') || rels.has('next-archive')).toBe(true);
        url = links.find((l) => l.rel === 'next-archive')?.href;
      }
      expect(reached).toEqual(
        Array.from({ length: pages }, (_, k) => `${SITE}/archive/${k + 1}/${format}`),
      );
      // The newest page names the page it will be followed by, sealed once there are items.
      expect(url).toBe(`${SITE}/archive/${pages + 1}/${format}`);
    }
  });
});
