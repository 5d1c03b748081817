// POST …/bulk/get as Cloudflare's API reference describes it ("Get multiple key-value
// pairs"): at most 100 keys, `type` text or json, `withMetadata`; missing keys are null.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { ACCOUNT, NAMESPACE, startAccount, TOKEN } from '../support/publish-fixtures.ts';

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startAccount();
  const values = standIn.namespace(NAMESPACE).values;
  values.set('text', { value: Buffer.from('plain') });
  values.set('json', { value: Buffer.from('{"a":[1,2]}'), metadata: { lang: 'en' } });
});
afterAll(() => standIn.close());

async function bulkGet(body: unknown) {
  const response = await fetch(
    `${standIn.baseUrl}/accounts/${ACCOUNT}/storage/kv/namespaces/${NAMESPACE}/bulk/get`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the stand-in answers bulk/get as documented', () => {
  it('pairs each key with its text, and a missing key with null', async () => {
    const { status, json } = await bulkGet({ keys: ['text', 'json', 'absent'] });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      success: true,
      result: { values: { text: 'plain', json: '{"a":[1,2]}', absent: null } },
    });
  });

  it('parses values with type json, and adds metadata with withMetadata', async () => {
    const { json } = await bulkGet({ keys: ['json'], type: 'json', withMetadata: true });
    expect(json).toMatchObject({
      result: { values: { json: { value: { a: [1, 2] }, metadata: { lang: 'en' } } } },
    });
  });

  it('refuses more than 100 keys, and a type it does not know', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `k${i}`);
    expect((await bulkGet({ keys: many })).status).toBe(400);
    expect((await bulkGet({ keys: ['text'], type: 'arrayBuffer' })).status).toBe(400);
    expect((await bulkGet({ keys: Array.from({ length: 100 }, (_, i) => `k${i}`) })).status).toBe(
      200,
    );
  });
});
