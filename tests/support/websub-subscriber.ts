import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A verification of intent (W3C WebSub §5.3) the subscriber received, and its answer. */
export type ReceivedVerification = {
  name: string;
  mode: string | null;
  topic: string | null;
  challenge: string | null;
  leaseSeconds: number | undefined;
  confirmed: boolean;
  at: number;
};

/** A content distribution (§7) the subscriber received. */
export type ReceivedDelivery = {
  name: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.timeOrigin + performance.now() when the whole body had arrived, in ms. */
  at: number;
};

export type SubscribeOptions = {
  /** Names the callback (`<url>/callback/<name>`); one per subscription, like a real reader. */
  name?: string;
  secret?: string;
  leaseSeconds?: number;
  /** Extra form parameters (websub.rocks 102). */
  extra?: Record<string, string>;
};

export type WebSubSubscriber = {
  /** `http://127.0.0.1:<port>`, a port the OS picked. */
  origin: string;
  callbackUrl(name: string): string;
  verifications: ReceivedVerification[];
  deliveries: ReceivedDelivery[];
  /** Status a delivery gets, per callback name (default 204); 410 asks the hub to stop. */
  answerDeliveriesWith(name: string, status: number): void;
  subscribe(hub: string, topic: string, options?: SubscribeOptions): Promise<Response>;
  unsubscribe(hub: string, topic: string, options?: SubscribeOptions): Promise<Response>;
  /** Resolves once `predicate` holds for what was received; rejects after `timeoutMs`. */
  waitFor(predicate: (subscriber: WebSubSubscriber) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * A WebSub subscriber on 127.0.0.1 for end-to-end tests against `npm start` (the hub allows
 * loopback callbacks there): it subscribes with a form POST, confirms only the verifications
 * it asked for (§5.3.1: anything else gets 404), and records every delivery with its bytes and
 * headers. `verifySignature` checks X-Hub-Signature against the secret it subscribed with.
 */
export async function startWebSubSubscriber(): Promise<WebSubSubscriber> {
  const intents = new Map<string, { mode: string; topic: string }>();
  const statuses = new Map<string, number>();
  const verifications: ReceivedVerification[] = [];
  const deliveries: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const name = decodeURIComponent(url.pathname.replace(/^\/callback\//, ''));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET') {
        const query = url.searchParams;
        const intent = intents.get(name);
        const confirmed =
          intent !== undefined &&
          intent.mode === query.get('hub.mode') &&
          intent.topic === query.get('hub.topic') &&
          query.get('hub.challenge') !== null;
        const lease = query.get('hub.lease_seconds');
        verifications.push({
          name,
          mode: query.get('hub.mode'),
          topic: query.get('hub.topic'),
          challenge: query.get('hub.challenge'),
          leaseSeconds: lease === null ? undefined : Number(lease),
          confirmed,
          at: performance.timeOrigin + performance.now(),
        });
        if (confirmed) response.writeHead(200, { 'Content-Type': 'text/plain' });
        else response.writeHead(404);
        response.end(confirmed ? (query.get('hub.challenge') ?? '') : 'not mine');
      } else {
        deliveries.push({
          name,
          url: url.href,
          headers: request.headers,
          body: Buffer.concat(chunks),
          at: performance.timeOrigin + performance.now(),
        });
        response.writeHead(statuses.get(name) ?? 204);
        response.end();
      }
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const callbackUrl = (name: string) => `${origin}/callback/${encodeURIComponent(name)}`;

  const request = async (mode: string, hub: string, topic: string, options: SubscribeOptions) => {
    const name = options.name ?? topic;
    intents.set(name, { mode, topic });
    const form = new URLSearchParams({
      'hub.mode': mode,
      'hub.topic': topic,
      'hub.callback': callbackUrl(name),
      ...(options.secret === undefined ? {} : { 'hub.secret': options.secret }),
      ...(options.leaseSeconds === undefined
        ? {}
        : { 'hub.lease_seconds': String(options.leaseSeconds) }),
      ...options.extra,
    });
    return fetch(hub, { method: 'POST', body: form });
  };

  const subscriber: WebSubSubscriber = {
    origin,
    callbackUrl,
    verifications,
    deliveries,
    answerDeliveriesWith: (name, status) => statuses.set(name, status),
    subscribe: (hub, topic, options = {}) => request('subscribe', hub, topic, options),
    unsubscribe: (hub, topic, options = {}) => request('unsubscribe', hub, topic, options),
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(subscriber)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the subscriber waited ${timeoutMs} ms in vain`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return subscriber;
}

/** Whether X-Hub-Signature (§7.1: `method=hex`) is the HMAC of `body` under `secret`. */
export function verifySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  const match = /^(sha1|sha256|sha384|sha512)=([0-9a-f]+)$/.exec(header ?? '');
  if (match === null) return false;
  const [, method = '', hex = ''] = match;
  const expected = createHmac(method, secret).update(body).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
