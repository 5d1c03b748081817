import { DOCUMENT_TYPES } from '../../core/media-types.ts';
import { findDocument } from '../store/find-document.ts';
import { readContent } from '../store/read-content.ts';
import { readPointer, resolvePointerSeconds } from '../store/read-pointer.ts';
import { checkCallback } from './check-callback.ts';
import type { DeliveryResult } from './delivery-result.ts';
import { describeFailure, fetchWithTimeout, hubUserAgent } from './fetch-with-timeout.ts';
import { DELIVERY_TIMEOUT_MS } from './hub-limits.ts';
import { hubLinkHeader } from './hub-link-header.ts';
import type { DeliverMessage } from './hub-message.ts';
import { hubSignature } from './sign-body.ts';
import { findSubscription, removeSubscription } from './subscriptions.ts';

export type DeliveryContext = {
  kv: KVNamespace;
  db: D1Database;
  allowLoopback: boolean;
  pointerSeconds: string | undefined;
};

/**
 * Content distribution (W3C WebSub §7): a POST to the callback with exactly the bytes and
 * Content-Type a GET of the topic returned in that build, the Link header (rel=hub and
 * rel=self, combined as §7 recommends) and, when the subscriber gave a secret, X-Hub-Signature
 * (§7.1). The subscription is read now: an unsubscribed or expired one gets nothing, and a
 * renewed one's new secret signs. A retry that a later switch overtook (the build served now
 * has other bytes for this path) is dropped, so a subscriber never gets an older document
 * after a newer one; that switch's own deliveries carry the newer bytes.
 */
export async function deliverContent(
  context: DeliveryContext,
  message: DeliverMessage,
  now: number,
): Promise<DeliveryResult> {
  const { kv, db } = context;
  const subscription = await findSubscription(db, message.topic, message.callback);
  if (subscription === undefined) return { outcome: 'skipped', why: 'no longer subscribed' };
  if (subscription.expires_at <= now) return { outcome: 'skipped', why: 'the lease expired' };
  const callback = checkCallback(message.callback, context.allowLoopback);
  if (!callback.ok) return { outcome: 'skipped', why: callback.reason };
  const overtaken = await overtakingBuild(context, message);
  if (overtaken !== undefined) {
    return { outcome: 'skipped', why: `build ${overtaken} has since been switched to` };
  }

  const [hash, , type] = message.entry;
  const body = await new Response(await readContent(kv, hash)).arrayBuffer();
  const headers: Record<string, string> = {
    'Content-Type': DOCUMENT_TYPES[type],
    Link: hubLinkHeader(message.hubUrl, message.topic),
    'User-Agent': hubUserAgent(new URL(message.topic).origin),
  };
  if (subscription.secret !== null) {
    headers['X-Hub-Signature'] = await hubSignature(
      subscription.signature,
      subscription.secret,
      body,
    );
  }
  let response: Response;
  try {
    response = await fetchWithTimeout(
      callback.url.href,
      { method: 'POST', headers, body },
      DELIVERY_TIMEOUT_MS,
    );
  } catch (error) {
    return { outcome: 'failed', failure: describeFailure(error) };
  }
  await response.body?.cancel(); // §7: "The response body from the subscriber MUST be ignored"
  if (response.status >= 200 && response.status <= 299) return { outcome: 'delivered' };
  if (response.status === 410) {
    await removeSubscription(db, message.topic, message.callback);
    return { outcome: 'ended' };
  }
  return { outcome: 'failed', failure: `the callback answered ${response.status}` };
}

/** The build served now, when it is another than the message's and has other bytes there. */
async function overtakingBuild(
  context: DeliveryContext,
  message: DeliverMessage,
): Promise<string | undefined> {
  const pointer = await readPointer(context.kv, resolvePointerSeconds(context.pointerSeconds));
  if (pointer.state !== 'loaded' || pointer.build.buildId === message.buildId) return undefined;
  // A pointer that does not know the message's build is older than it (KV's propagation).
  if (!pointer.pointer.builds.some((build) => build.buildId === message.buildId)) return undefined;
  const served = await findDocument(context.kv, pointer.build, message.path);
  return served?.[0] === message.entry[0] ? undefined : pointer.build.buildId;
}
