// The deploy trigger and the wait for a local server, against a small stand-in worker that
// behaves as the pointer-serving worker does (POST /_edgefeed/deployed, X-Build-Id).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyDeployed } from '../../src/publish/notify-deployed.ts';
import { waitForBuild } from '../../src/publish/wait-for-build.ts';

const TOKEN = 'a-deploy-token-of-some-length';
const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

let origin: string;
let worker: Server;
/** What the stand-in worker does next: answers for the trigger, the build it serves. */
const state = {
  triggerAnswers: [] as number[],
  served: A,
  sendsBuildId: true,
  bodies: [] as string[],
};

beforeAll(async () => {
  worker = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/_edgefeed/deployed') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        state.bodies.push(body);
        if (request.headers.authorization !== `Bearer ${TOKEN}`) {
          response
            .writeHead(401)
            .end('A deploy trigger needs Authorization: Bearer <DEPLOY_TOKEN>.');
          return;
        }
        const status = state.triggerAnswers.shift() ?? 202;
        if (status === 409) {
          response.writeHead(409, { 'Retry-After': '3' }).end('not yet');
          return;
        }
        state.served = B;
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            previous: A,
            current: B,
            changed: Array.from({ length: 80 }, (_, i) => `/topics/t${i}/rss.xml`),
            deliveries: 4,
          }),
        );
      });
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (state.sendsBuildId) headers['X-Build-Id'] = state.served;
    response.writeHead(200, headers).end(JSON.stringify({ status: 'ok', buildId: state.served }));
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  const address = worker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise((resolve) => worker.close(resolve)));

function reset(triggerAnswers: number[] = []) {
  Object.assign(state, { triggerAnswers, served: A, sendsBuildId: true, bodies: [] });
}

describe('the deploy trigger', () => {
  it('posts the previous and current build with the bearer token and reports what the hub did', async () => {
    reset();
    const line = await notifyDeployed({ origin, token: TOKEN, previous: A, current: B });
    expect(line).toBe('trigger: accepted, 80 feeds changed, 4 deliveries queued');
    expect(state.bodies.map((body) => JSON.parse(body))).toEqual([{ previous: A, current: B }]);
  });

  it('asks again after Retry-After while the worker does not see the switch yet (409)', async () => {
    reset([409, 409]);
    const waits: number[] = [];
    const line = await notifyDeployed({
      origin,
      token: TOKEN,
      previous: A,
      current: B,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(line).toContain('accepted');
    expect(waits).toEqual([3000, 3000]);
  });

  it('is a one-line notice, not a failure, without a token, with a wrong one, or without a hub', async () => {
    reset();
    expect(await notifyDeployed({ origin, token: undefined, previous: A, current: B })).toContain(
      'skipped (no deploy token; set EDGEFEED_DEPLOY_TOKEN',
    );
    expect(state.bodies).toEqual([]);
    expect(
      await notifyDeployed({ origin, token: 'wrong-token-xxxxxxxx', previous: A, current: B }),
    ).toContain("refused (401): EDGEFEED_DEPLOY_TOKEN is not the worker's DEPLOY_TOKEN");
    reset([404]);
    expect(await notifyDeployed({ origin, token: TOKEN, previous: A, current: B })).toBe(
      'trigger: the worker has no deploy trigger (404); no WebSub push',
    );
  });
});

describe('waiting for a local server to answer with a build', () => {
  it('returns once X-Build-Id names the build', async () => {
    reset();
    setTimeout(() => {
      state.served = B;
    }, 300);
    expect(await waitForBuild(origin, B, 5000)).toBe(`server: ${origin} answers with build ${B}`);
  });

  it('times out naming the build it last saw', async () => {
    reset();
    await expect(waitForBuild(origin, B, 600)).rejects.toThrow(
      `the store now serves build ${B}, but ${origin} still answered with build ${A}`,
    );
  });

  it('does not wait for a worker that sends no X-Build-Id', async () => {
    reset();
    state.sendsBuildId = false;
    expect(await waitForBuild(origin, B, 5000)).toContain('does not send X-Build-Id');
  });
});
