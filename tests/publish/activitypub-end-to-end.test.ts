// ActivityPub end to end through the user's own commands (issue #19's check), against an
// independent implementation: `npm start` on a free port and a private store, Fedify
// (tests/support/fedify-remote.ts) as the remote server on 127.0.0.1 (the worker allows
// loopback under npm start, HUB_ALLOW_LOOPBACK), and `npm run deploy -- --local` adding an
// article. Fedify finds the actors by handle (WebFinger, RFC 7033), reads them and the
// outbox, follows with its own draft-cavage signatures, checks ours on the Accept and the
// Create, and unfollows.
import { cp, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { signRequest } from '@fedify/fedify';
import {
  Create,
  Follow,
  lookupObject,
  Note,
  OrderedCollection,
  Service,
  traverseCollection,
  Undo,
} from '@fedify/vocab';
import { lookupWebFinger } from '@fedify/webfinger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FedifyRemote, startFedifyRemote } from '../support/fedify-remote.ts';
import { type NpmStart, runScript, startNpmStart } from '../support/npm-start.ts';
import { tempDir } from '../support/publish-fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');
/** As in websub-end-to-end.test.ts: a queued delivery arrives ~1 s after the trigger. */
const QUIET_MS = 8_000;

let dir: string;
let server: NpmStart | undefined;
let remote: FedifyRemote;
let origin: string;
const realFetch = globalThis.fetch;

type FeedEntry = { kind: string; key: string; count: number; actor?: string; handle?: string };

const flags = () => [
  ...['--seeds', join(dir, 'seeds'), '--out', join(dir, 'out')],
  ...['--cache-dir', join(dir, 'cache'), '--quiet'],
];

async function deployLocal() {
  return runScript('deploy.ts', ['--local', '--persist-to', join(dir, 'state'), ...flags()]);
}

async function addArticle(name: string, title: string, date: string): Promise<string> {
  const url = `https://example.com/${name}`;
  await writeFile(
    join(dir, 'seeds', name),
    `---\ntitle: "${title}"\npublishedDateTime: ${date}\nwebUrl: "${url}"\nexcerpt: "What a follower reads."\nprovider:\n  name: Example News\n  domain: example.com\ntopics:\n  - AI\n---\n`,
  );
  return url;
}

async function feeds(): Promise<FeedEntry[]> {
  const list = (await (await fetch(`${origin}/feeds.json`)).json()) as { feeds: FeedEntry[] };
  return list.feeds;
}

async function followers(actor: string): Promise<number> {
  const collection = (await (await fetch(`${actor.replace(/\/actor$/, '')}/followers`)).json()) as {
    totalItems: number;
  };
  return collection.totalItems;
}

async function eventually<T>(read: () => Promise<T> | T, check: (v: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(last)} after ${ms} ms`);
    await delay(100);
    last = await read();
  }
  return last;
}

/**
 * lookupObject's options: Fedify reads `allowPrivateAddress` for its WebFinger step (the
 * server is on 127.0.0.1) though its type does not declare it, hence no object literal.
 */
function lookupOptions() {
  const options = { documentLoader: remote.context().documentLoader, allowPrivateAddress: true };
  return options;
}

async function siteActor(): Promise<Service> {
  const site = (await feeds()).find((feed) => feed.kind === 'site');
  const found = await lookupObject(`@${site?.handle}`, lookupOptions());
  if (!(found instanceof Service)) throw new Error(`@${site?.handle} is not a Service`);
  return found;
}

beforeAll(async () => {
  dir = await tempDir('activitypub-e2e');
  await cp(join(ROOT, 'tests/fixtures/site'), join(dir, 'seeds'), { recursive: true });
  remote = await startFedifyRemote();
  server = await startNpmStart(flags(), join(dir, 'state'));
  origin = server.origin;
  // WebFinger for acct: handles is always https (RFC 7033 §4); `npm start` serves plain
  // http on 127.0.0.1, so for this one origin the scheme is swapped, nothing else.
  const secure = origin.replace('http:', 'https:');
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${secure}/`)) return realFetch(input, init);
    const plain = url.replace(secure, origin);
    return realFetch(input instanceof Request ? new Request(plain, input) : plain, init);
  };
}, 180_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  await server?.stop();
  await remote?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('every feed is an ActivityPub actor, followed from Fedify', { timeout: 120_000 }, () => {
  it("finds the site's and a topic's actor by handle and reads them and the site's outbox", async () => {
    const list = await feeds();
    const site = list.find((feed) => feed.kind === 'site');
    const topic = list.find((feed) => feed.kind === 'topic' && feed.key === 'ai');
    expect(site?.handle).toBe(`all_articles@${new URL(origin).host}`);
    expect(topic?.handle).toBe(`ai@${new URL(origin).host}`);
    const loader = remote.context().documentLoader;
    for (const feed of [site, topic]) {
      if (feed?.handle === undefined || feed.actor === undefined) throw new Error('no actor');
      const jrd = await lookupWebFinger(`acct:${feed.handle}`, { allowPrivateAddress: true });
      const self = jrd?.links?.find((link) => link.rel === 'self');
      expect(self).toEqual({ rel: 'self', type: 'application/activity+json', href: feed.actor });
      const actor = await lookupObject(`@${feed.handle}`, lookupOptions());
      expect(actor, feed.handle).toBeInstanceOf(Service);
      if (!(actor instanceof Service)) return;
      expect(actor.id?.href).toBe(feed.actor);
      expect(actor.preferredUsername).toBe(feed.handle.split('@')[0]);
      expect(actor.inboxId?.href).toBe(`${feed.actor.replace(/\/actor$/, '')}/inbox`);
      expect(actor.followersId?.href).toBe(`${feed.actor.replace(/\/actor$/, '')}/followers`);
      expect(actor.endpoints?.sharedInbox?.href).toBe(`${origin}/inbox`);
      expect(actor.url?.toString()).toBe(`${feed.actor.replace(/actor$/, '')}`);
      const key = await actor.getPublicKey({ documentLoader: loader });
      expect(key?.ownerId?.href).toBe(feed.actor);
      expect(key?.publicKey?.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    }
    const actor = await siteActor();
    const outbox = await actor.getOutbox({ documentLoader: loader });
    expect(outbox).toBeInstanceOf(OrderedCollection);
    expect(outbox?.totalItems).toBe(site?.count);
    const items = [];
    if (outbox === null) throw new Error('no outbox');
    for await (const item of traverseCollection(outbox, { documentLoader: loader })) {
      items.push(item);
    }
    expect(items).toHaveLength(site?.count ?? -1);
    for (const item of items) {
      expect(item).toBeInstanceOf(Create);
      if (!(item instanceof Create)) continue;
      const note = await item.getObject({ documentLoader: loader });
      expect(note).toBeInstanceOf(Note);
      expect(note?.attributionId?.href).toBe(actor.id?.href);
      expect(String(note?.url)).toMatch(/^https:\/\//);
    }
  });

  it('refuses an unsigned Follow and one signed with a key not its own: 401, no Accept', async () => {
    const actor = await siteActor();
    const follow = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${remote.origin}/follows/forged`,
      type: 'Follow',
      actor: remote.actor.href,
      object: actor.id?.href,
    });
    const post = () =>
      new Request(`${origin}/inbox`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/activity+json' },
        body: follow,
      });
    const unsigned = await realFetch(post());
    expect(unsigned.status, await unsigned.text()).toBe(401);
    // alice's keyId, signed with another key pair: the signature does not verify with hers.
    const other = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const forged = await signRequest(
      post(),
      other.privateKey,
      new URL(`${remote.actor.href}#main-key`),
    );
    const refused = await realFetch(forged);
    expect(refused.status, await refused.text()).toBe(401);
    await delay(2_000);
    expect(remote.received.filter((a) => a.type === 'Accept')).toEqual([]);
    expect(await followers(actor.id?.href ?? '')).toBe(0);
  });

  let follow: Follow;
  it('answers a signed Follow of the site actor with a signed Accept and counts the follower', async () => {
    const actor = await siteActor();
    follow = new Follow({
      id: new URL(`${remote.origin}/follows/1`),
      actor: remote.actor,
      object: actor.id,
    });
    const sent = Date.now();
    await remote.context().sendActivity({ identifier: 'alice' }, actor, follow);
    const [accept] = await eventually(
      () => remote.received.filter((a) => a.type === 'Accept'),
      (accepts) => accepts.length > 0,
      30_000,
    );
    console.log(`activitypub: Accept received ${Date.now() - sent} ms after the Follow was sent`);
    expect(accept?.actor).toBe(actor.id?.href);
    // Fedify ran its listener, so it verified the signature; here is what it verified.
    const signature = remote.posts.filter((p) => p.status < 300).at(-1)?.headers.signature ?? '';
    expect(signature).toMatch(/algorithm="rsa-sha256"/);
    expect(signature).toMatch(/headers="\(request-target\) host date digest"/);
    expect(signature).toContain(`keyId="${actor.id?.href}#main-key"`);
    await eventually(
      () => followers(actor.id?.href ?? ''),
      (n) => n === 1,
      60_000,
    );
  });

  it('sends a signed Create of a new article after deploy --local, and a Delete when it goes', async () => {
    const actor = await siteActor();
    const url = await addArticle(
      '950-followed.md',
      'Seen from the fediverse',
      '2022-03-01T09:00:00Z',
    );
    const deployed = await deployLocal();
    expect(deployed.code, deployed.output).toBe(0);
    expect(deployed.output).toMatch(/1 activities to fediverse inboxes/);
    const [create] = await eventually(
      () => remote.received.filter((a) => a.type === 'Create'),
      (creates) => creates.length > 0,
      60_000,
    );
    console.log(
      `activitypub: Create received ${Date.now() - deployed.endedAt} ms after deploy --local returned`,
    );
    expect(create?.actor).toBe(actor.id?.href);
    const object = create?.json.object as Record<string, unknown>;
    expect(object.type).toBe('Note');
    expect(object.url).toBe(url);
    expect(String(object.content)).toContain('Seen from the fediverse');
    // The Create is the outbox's own item: the same stable id.
    const latest = (await (await fetch(`${origin}/outbox-latest`)).json()) as {
      orderedItems: { id: string }[];
    };
    expect(latest.orderedItems.map((item) => item.id)).toContain(create?.id);

    await unlink(join(dir, 'seeds', '950-followed.md'));
    const removed = await deployLocal();
    expect(removed.code, removed.output).toBe(0);
    const [deleted] = await eventually(
      () => remote.received.filter((a) => a.type === 'Delete'),
      (deletes) => deletes.length > 0,
      60_000,
    );
    expect(deleted?.json.object).toMatchObject({ id: object.id });
  });

  it('sends nothing after a signed Undo of the Follow', async () => {
    const actor = await siteActor();
    await remote.context().sendActivity(
      { identifier: 'alice' },
      actor,
      new Undo({
        id: new URL(`${remote.origin}/follows/1/undo`),
        actor: remote.actor,
        object: follow,
      }),
    );
    await eventually(
      () => followers(actor.id?.href ?? ''),
      (n) => n === 0,
      60_000,
    );
    const before = remote.received.length;
    await addArticle('951-unheard.md', 'Nobody follows any more', '2022-03-02T09:00:00Z');
    const deployed = await deployLocal();
    expect(deployed.code, deployed.output).toBe(0);
    expect(deployed.output).not.toMatch(/activities to fediverse inboxes/);
    await delay(QUIET_MS);
    expect(remote.received.slice(before)).toEqual([]);
    expect(remote.received.filter((a) => a.type === 'Accept')).toHaveLength(1);
  });
});
