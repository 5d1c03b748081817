import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startWebSubSubscriber,
  verifySignature,
  type WebSubSubscriber,
} from './websub-subscriber.ts';

// The subscriber helper the end-to-end test of the hub uses, checked against a minimal hub
// that does what §5.3 and §7 say: verify with a GET, deliver with a signed POST.

let subscriber: WebSubSubscriber | undefined;
let closeHub: (() => void) | undefined;

afterEach(async () => {
  await subscriber?.close();
  closeHub?.();
  subscriber = undefined;
  closeHub = undefined;
});

/** A hub that verifies every request it gets, then delivers `content` signed with the secret. */
async function tinyHub(content: string): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      response.writeHead(202).end();
      const callback = new URL(form.get('hub.callback') ?? '');
      callback.searchParams.set('hub.mode', form.get('hub.mode') ?? '');
      callback.searchParams.set('hub.topic', form.get('hub.topic') ?? '');
      callback.searchParams.set('hub.challenge', 'challenge-123');
      callback.searchParams.set('hub.lease_seconds', '3600');
      const answer = await fetch(callback);
      if ((await answer.text()) !== 'challenge-123' || form.get('hub.mode') !== 'subscribe') return;
      const secret = form.get('hub.secret');
      const headers: Record<string, string> = { 'Content-Type': 'application/rss+xml' };
      if (secret !== null) {
        headers['X-Hub-Signature'] =
          `sha256=${createHmac('sha256', secret).update(content).digest('hex')}`;
      }
      await fetch(form.get('hub.callback') ?? '', { method: 'POST', headers, body: content });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeHub = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
}

describe('startWebSubSubscriber', () => {
  it('confirms its own subscription and records the signed delivery', async () => {
    subscriber = await startWebSubSubscriber();
    const hub = await tinyHub('<rss>hello</rss>');
    const response = await subscriber.subscribe(hub, 'http://127.0.0.1:8787/rss.xml', {
      name: 'site-rss',
      secret: 's3cret',
    });
    expect(response.status).toBe(202);
    await subscriber.waitFor((s) => s.deliveries.length === 1);
    expect(subscriber.verifications).toMatchObject([
      { name: 'site-rss', mode: 'subscribe', leaseSeconds: 3600, confirmed: true },
    ]);
    const [delivery] = subscriber.deliveries;
    expect(delivery?.body.toString()).toBe('<rss>hello</rss>');
    expect(delivery?.headers['content-type']).toBe('application/rss+xml');
    const header = delivery?.headers['x-hub-signature'];
    expect(verifySignature(delivery?.body ?? Buffer.alloc(0), String(header), 's3cret')).toBe(true);
    expect(verifySignature(delivery?.body ?? Buffer.alloc(0), String(header), 'wrong')).toBe(false);
  });

  it('answers 404 to a verification it did not ask for (§5.3.1)', async () => {
    subscriber = await startWebSubSubscriber();
    const response = await fetch(
      `${subscriber.callbackUrl('nobody')}?hub.mode=subscribe&hub.topic=x&hub.challenge=c`,
    );
    expect(response.status).toBe(404);
    expect(subscriber.verifications).toMatchObject([{ name: 'nobody', confirmed: false }]);
  });

  it('answers deliveries with the status it is told to, e.g. 410 to end a subscription', async () => {
    subscriber = await startWebSubSubscriber();
    subscriber.answerDeliveriesWith('gone', 410);
    const response = await fetch(subscriber.callbackUrl('gone'), { method: 'POST', body: 'x' });
    expect(response.status).toBe(410);
    expect(subscriber.deliveries).toHaveLength(1);
  });

  it('rejects a malformed or missing signature', () => {
    expect(verifySignature(Buffer.from('x'), undefined, 's')).toBe(false);
    expect(verifySignature(Buffer.from('x'), 'md5=abc', 's')).toBe(false);
    expect(verifySignature(Buffer.from('x'), 'sha256=zz', 's')).toBe(false);
  });
});
