import { setTimeout as delay } from 'node:timers/promises';
import type { LocalServer } from './local-server-file.ts';
import { parseRetryAfter } from './retry-delay.ts';

export type NotifyOptions = {
  /** The worker's origin: the site URL remotely, `npm start`'s server locally. */
  origin: string;
  token: string | undefined;
  previous: string | null;
  current: string;
  /** How long to keep asking while the worker answers 409 (KV has not shown it the switch). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * `POST /_edgefeed/deployed` after a switch, so the worker's WebSub hub pushes the feeds
 * that changed to their subscribers (W3C WebSub §7). Never fails a deploy: the switch is
 * done; the answer becomes one line. A 409 means the worker's location does not see the new
 * pointer yet (KV propagation, up to ~60 s): asked again after its Retry-After.
 */
export async function notifyDeployed(options: NotifyOptions): Promise<string> {
  if (!options.token) {
    return 'trigger: skipped (no deploy token; set EDGEFEED_DEPLOY_TOKEN to push changed feeds to WebSub subscribers)';
  }
  const sleep = options.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  const url = new URL('/_edgefeed/deployed', options.origin);
  const patience = options.patienceMs ?? 90_000;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ previous: options.previous, current: options.current }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (attempt < 3) {
        await sleep(2000);
        continue;
      }
      return `trigger: ${url.href} did not answer (${error instanceof Error ? error.message : String(error)}); subscribers were not notified`;
    }
    const text = (await response.text().catch(() => '')).trim();
    if (response.status === 202 || response.status === 200)
      return `trigger: ${describeAccepted(text)}`;
    // 405: a worker from before the trigger answers every POST so.
    if (response.status === 404 || response.status === 405) {
      return `trigger: the worker has no deploy trigger (${response.status}); no WebSub push`;
    }
    if (response.status === 401) {
      return "trigger: refused (401): EDGEFEED_DEPLOY_TOKEN is not the worker's DEPLOY_TOKEN; subscribers were not notified";
    }
    if (response.status === 409 && waited < patience) {
      const wait = Math.min(parseRetryAfter(response.headers.get('Retry-After')) ?? 5000, 15_000);
      waited += wait;
      await sleep(wait);
      continue;
    }
    return `trigger: HTTP ${response.status} ${text.slice(0, 300)}`;
  }
}

function describeAccepted(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return 'accepted';
    const changed = Reflect.get(json, 'changed');
    const deliveries = Reflect.get(json, 'deliveries');
    const activities = Reflect.get(json, 'activities');
    // ActivityPub activities to followers' inboxes (docs/activitypub.md), when any.
    const fediverse =
      typeof activities === 'number' && activities > 0
        ? `, ${activities} activities to fediverse inboxes`
        : '';
    return `accepted, ${Array.isArray(changed) ? changed.length : '?'} feeds changed, ${typeof deliveries === 'number' ? deliveries : '?'} deliveries queued${fediverse}`;
  } catch {
    return 'accepted';
  }
}

/** A switch's trigger, called with the build served before and the one served now. */
export type Trigger = (previous: string | null, current: string) => Promise<string>;

/**
 * The trigger of a `--local` switch: the `npm start` serving `persistTo` (its server file,
 * read before the switch), which answers at once; or a line saying that none does.
 */
export function localTrigger(server: LocalServer | undefined, persistTo: string): Trigger {
  return (previous, current) =>
    server
      ? notifyDeployed({
          origin: server.origin,
          token: server.deployToken,
          previous,
          current,
          patienceMs: 20_000,
        })
      : Promise.resolve(`trigger: no \`npm start\` serves ${persistTo}`);
}
