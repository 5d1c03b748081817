import type { WorkerBindings } from '../bindings.ts';
import { checkCallback } from '../hub/check-callback.ts';
import type { DeliveryResult } from '../hub/delivery-result.ts';
import { describeFailure, fetchWithTimeout } from '../hub/fetch-with-timeout.ts';
import { DELIVERY_TIMEOUT_MS } from '../hub/hub-limits.ts';
import type { ActivityMessage } from '../hub/hub-message.ts';
import { ACTIVITY_TYPE } from './activity-type.ts';
import { actorKeyOf } from './actor-key.ts';
import { removeInbox } from './followers.ts';
import { signRequest } from './sign-request.ts';

/**
 * One activity POSTed to one inbox (ActivityPub §7), signed by its actor's key
 * (draft-cavage-http-signatures-12; sign-request.ts). 2xx: delivered; 410 Gone: every
 * follower behind that inbox is removed; anything else, a timeout (15 s, so one inbox that
 * never answers holds up only its own message) or a network error: retried with the hub's
 * backoff, then dead-lettered. An inbox the SSRF guard refuses is skipped.
 */
export async function deliverActivity(
  message: ActivityMessage,
  db: D1Database,
  env: WorkerBindings,
): Promise<DeliveryResult> {
  const inbox = checkCallback(message.inbox, env.HUB_ALLOW_LOOPBACK === 'true', 'inbox');
  if (!inbox.ok) return { outcome: 'skipped', why: inbox.reason };
  const key = await actorKeyOf(env.ACTIVITYPUB_PRIVATE_KEY);
  if (key === undefined) return { outcome: 'failed', failure: 'no ACTIVITYPUB_PRIVATE_KEY is set' };
  const body = new TextEncoder().encode(message.activity);
  const signed = await signRequest(key, `${message.actor}#main-key`, 'POST', inbox.url, body);
  let response: Response;
  try {
    response = await fetchWithTimeout(
      inbox.url.href,
      {
        method: 'POST',
        headers: {
          ...signed,
          'Content-Type': ACTIVITY_TYPE,
          Accept: ACTIVITY_TYPE,
          'User-Agent': `edgefeed (+${new URL(message.actor).origin})`,
        },
        body,
      },
      DELIVERY_TIMEOUT_MS,
    );
  } catch (error) {
    return { outcome: 'failed', failure: describeFailure(error) };
  }
  await response.body?.cancel();
  if (response.status >= 200 && response.status <= 299) return { outcome: 'delivered' };
  if (response.status === 410) {
    await removeInbox(db, message.inbox);
    return { outcome: 'ended' };
  }
  return { outcome: 'failed', failure: `the inbox answered ${response.status}` };
}
