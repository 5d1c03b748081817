// A remote fediverse server for tests, written with Fedify (@fedify/fedify, the framework
// Ghost 6 is built on), independent of our own code: one Person, `alice`, with her own RSA
// key, an inbox and a shared inbox. Fedify verifies every POST to them (HTTP Signatures,
// the key fetched from the sender's actor, the key's owner being the activity's actor) before
// a listener sees it, so an activity in `received` is one Fedify accepted as signed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type Context,
  createFederation,
  type Federation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from '@fedify/fedify';
import { Accept, type Activity, Create, Delete, Endpoints, Person, Update } from '@fedify/vocab';
import { freePort } from './free-port.ts';

export type ReceivedActivity = {
  type: 'Accept' | 'Create' | 'Delete' | 'Update';
  id: string | undefined;
  actor: string | undefined;
  json: Record<string, unknown>;
};

/** A POST as it reached the server, before Fedify looked at it. */
export type RawPost = { path: string; headers: Record<string, string>; status: number };

export type FedifyRemote = {
  origin: string;
  /** alice's actor id. */
  actor: URL;
  federation: Federation<void>;
  context: () => Context<void>;
  /** alice's key pair (signs what she sends). */
  keys: Awaited<ReturnType<typeof generateCryptoKeyPair>>;
  received: ReceivedActivity[];
  posts: RawPost[];
  close: () => Promise<void>;
};

/** Starts the remote on a free loopback port. */
export async function startFedifyRemote(): Promise<FedifyRemote> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
  const received: ReceivedActivity[] = [];
  const posts: RawPost[] = [];
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    // Everything runs on 127.0.0.1; Fedify refuses private addresses unless told (tests only).
    allowPrivateAddress: true,
    // Sign as Mastodon does (draft-cavage-http-signatures-12), not RFC 9421 first.
    firstKnock: 'draft-cavage-http-signatures-12',
  });
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'alice') return null;
      const [pair] = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: 'Alice (Fedify)',
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pair?.cryptographicKey ?? null,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'alice' ? [keys] : []));
  const listen = (type: ReceivedActivity['type']) => async (_ctx: unknown, activity: Activity) => {
    received.push({
      type,
      id: activity.id?.href,
      actor: activity.actorId?.href,
      json: (await activity.toJsonLd({ format: 'compact' })) as Record<string, unknown>,
    });
  };
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, listen('Accept'))
    .on(Create, listen('Create'))
    .on(Delete, listen('Delete'))
    .on(Update, listen('Update'));

  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        headers.append(name, one);
      }
    }
    const method = req.method ?? 'GET';
    const request = new Request(`${origin}${req.url ?? '/'}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await federation.fetch(request, { contextData: undefined });
    if (method === 'POST') {
      posts.push({
        path: req.url ?? '',
        headers: Object.fromEntries(headers),
        status: response.status,
      });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin,
    actor: new URL(`${origin}/users/alice`),
    federation,
    context: () => federation.createContext(new URL(origin), undefined),
    keys,
    received,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
