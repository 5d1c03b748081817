import type { Context } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { readPointer, resolvePointerSeconds } from '../store/read-pointer.ts';
import { checkCallback } from './check-callback.ts';
import { checkHubCaps } from './check-hub-caps.ts';
import { MAX_HUB_BODY_BYTES } from './hub-limits.ts';
import { isRateLimited } from './limit-hub-rate.ts';
import { parseHubRequest } from './parse-hub-request.ts';
import { addPending } from './pending-verifications.ts';
import { afterResponse, plainText } from './plain-text.ts';
import { readTextPrefix } from './read-text-prefix.ts';
import { resolveTopic } from './resolve-topic.ts';
import { findSubscription } from './subscriptions.ts';
import { type AcceptedRequest, verifyIntent } from './verify-intent.ts';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * POST /hub (W3C WebSub §5.1): checks the request, answers 202 and verifies intent after the
 * response (§5.1.2: the answer "MUST NOT depend on the process or outcome of verification").
 * Refusals are 4xx with one plain-text sentence: 400 for a bad parameter, 403 for a full
 * topic or callback host, 413/415 for the body, 429 for the rate limit and for too many
 * verifications in flight.
 */
export async function handleHubRequest(c: Context<WorkerEnv>): Promise<Response> {
  const { DB: db, FEEDS: kv } = c.env;
  if (db === undefined || kv === undefined) {
    return plainText(503, 'The hub is not configured on this worker (D1 binding DB or KV FEEDS).');
  }
  if (await isRateLimited(c.env.HUB_RATE_LIMIT, c.req.raw)) {
    return plainText(429, 'Too many hub requests from this address; try again in a minute.', {
      'Retry-After': '60',
    });
  }
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE) {
    return plainText(415, `A hub request is a form: send Content-Type: ${FORM_TYPE} (§5.1).`);
  }
  const body = await readTextPrefix(c.req.raw.body, MAX_HUB_BODY_BYTES);
  if (!body.complete) {
    return plainText(413, `A hub request must be under ${MAX_HUB_BODY_BYTES} bytes.`);
  }
  const parsed = parseHubRequest(new URLSearchParams(body.text));
  if (!parsed.ok) return plainText(400, parsed.reason);
  const request = parsed.request;

  const pointer = await readPointer(kv, resolvePointerSeconds(c.env.BUILD_POINTER_SECONDS));
  if (pointer.state !== 'loaded') {
    return plainText(503, 'No build is served yet, so there is nothing to subscribe to.', {
      'Retry-After': '60',
    });
  }
  const build = pointer.build;
  const callback = checkCallback(request.callback, c.env.HUB_ALLOW_LOOPBACK === 'true');
  if (!callback.ok) return plainText(400, callback.reason);
  let topic = await resolveTopic(kv, build, request.topic);
  if (!topic.ok && request.mode === 'unsubscribe') {
    // A feed that is no longer built can still be left: its subscribers hold a row for it.
    const existing = await findSubscription(db, request.topic, callback.url.href);
    if (existing !== undefined) topic = { ok: true, topic: existing.topic, path: '' };
  }
  if (!topic.ok) return plainText(400, topic.reason);

  const now = Date.now();
  const refusal = await checkHubCaps(db, {
    mode: request.mode,
    topic: topic.topic,
    callback: callback.url.href,
    host: callback.host,
    now,
  });
  if (refusal !== undefined) return plainText(refusal.status, refusal.reason, refusal.headers);

  const accepted: AcceptedRequest = {
    request,
    topic: topic.topic,
    callback: callback.url,
    callbackHost: callback.host,
    pendingId: crypto.randomUUID(),
    hubUrl: `${build.siteUrl}/hub`,
  };
  await addPending(db, {
    id: accepted.pendingId,
    mode: request.mode,
    topic: topic.topic,
    callback: callback.url.href,
    callbackHost: callback.host,
    requestedAt: now,
  });
  await afterResponse(c, verifyAndLog(db, accepted));
  return plainText(
    202,
    `Accepted: the hub will confirm this ${request.mode} request with a GET to hub.callback.`,
  );
}

async function verifyAndLog(db: D1Database, accepted: AcceptedRequest): Promise<void> {
  try {
    const outcome = await verifyIntent(db, accepted);
    if (!outcome.verified) {
      console.log(
        `edgefeed hub: ${accepted.request.mode} of ${accepted.topic} for a callback on ${accepted.callbackHost} not verified: ${outcome.reason}`,
      );
    }
  } catch (error) {
    console.error(`edgefeed hub: verification for ${accepted.topic} failed`, error);
  }
}
