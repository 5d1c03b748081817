import { checkCallback } from './check-callback.ts';
import type { DeliveryResult } from './delivery-result.ts';
import { describeFailure, fetchWithTimeout, hubUserAgent } from './fetch-with-timeout.ts';
import { DELIVERY_TIMEOUT_MS } from './hub-limits.ts';
import type { PingMessage } from './hub-message.ts';

/**
 * Tells an external hub (`--hub-url`) that a topic changed. WebSub leaves the publish
 * request to hub and publisher (§6); most hubs take a form POST with hub.mode=publish and the
 * topic as hub.url (PubSubHubbub 0.4), some read hub.topic, so both are sent. Any 2xx is
 * success; the hub then fetches the topic itself. The hub URL obeys the callback rules.
 */
export async function pingHub(
  message: PingMessage,
  allowLoopback: boolean,
): Promise<DeliveryResult> {
  const hub = checkCallback(message.hubUrl, allowLoopback);
  if (!hub.ok)
    return { outcome: 'skipped', why: hub.reason.replace('hub.callback', 'the hub URL') };
  const body = new URLSearchParams({
    'hub.mode': 'publish',
    'hub.url': message.topic,
    'hub.topic': message.topic,
  });
  let response: Response;
  try {
    response = await fetchWithTimeout(
      hub.url.href,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': hubUserAgent(new URL(message.topic).origin),
        },
        body: body.toString(),
      },
      DELIVERY_TIMEOUT_MS,
    );
  } catch (error) {
    return { outcome: 'failed', failure: describeFailure(error) };
  }
  await response.body?.cancel();
  if (response.status >= 200 && response.status <= 299) return { outcome: 'delivered' };
  return { outcome: 'failed', failure: `the hub answered ${response.status}` };
}
