import type { Context } from 'hono';
import * as z from 'zod/mini';
import { isActorPath } from '../../core/actor-paths.ts';
import { isSubscriptionPath } from '../../core/document-paths.ts';
import { actorKeyOf } from '../activitypub/actor-key.ts';
import { enqueueActorUpdates } from '../activitypub/enqueue-actor-updates.ts';
import { enqueueFeedActivities } from '../activitypub/enqueue-feed-activities.ts';
import type { WorkerEnv } from '../bindings.ts';
import { forgetPointer, readPointer, resolvePointerSeconds } from '../store/read-pointer.ts';
import { checkDeployToken } from './check-deploy-token.ts';
import { changedDocuments } from './diff-builds.ts';
import { enqueueDeliveries } from './enqueue-deliveries.ts';
import { plainText } from './plain-text.ts';
import { pruneHubTables } from './prune-hub-tables.ts';
import { readTextPrefix } from './read-text-prefix.ts';

const BUILD_ID = z.string().check(z.regex(/^[0-9a-f]{16}$/));
const DeployedSchema = z.object({ previous: z.nullable(BUILD_ID), current: BUILD_ID });

/**
 * POST /_edgefeed/deployed, called by a deploy or rollback after it switched the pointer:
 * `Authorization: Bearer <DEPLOY_TOKEN>`, JSON `{"previous": id | null, "current": id}`.
 * This isolate drops its held pointer (so it serves the new build at once), reads the
 * pointer, diffs the two builds' subscription documents and enqueues a delivery to every
 * unexpired subscriber of each changed one (W3C WebSub §7). 202 with
 * `{ previous, current, changed: [paths], deliveries, pings }`.
 *
 * 401 without the right token; 503 when no token (of at least 16 characters) is configured,
 * so a deploy script can tell a missing secret from a wrong one; 409 (Retry-After) when the
 * pointer read here does not name `current` as served: KV may take up to a minute to show a
 * new pointer at this location, or a later switch superseded this one (its own call pushes).
 */
export async function handleDeployTrigger(c: Context<WorkerEnv>): Promise<Response> {
  const token = await checkDeployToken(c.env.DEPLOY_TOKEN, c.req.header('Authorization'));
  if (token === 'unconfigured') {
    return plainText(503, 'No DEPLOY_TOKEN is configured: `wrangler secret put DEPLOY_TOKEN`.');
  }
  if (token === 'refused') {
    return plainText(401, 'A deploy trigger needs Authorization: Bearer <DEPLOY_TOKEN>.', {
      'WWW-Authenticate': 'Bearer realm="edgefeed deploy"',
    });
  }
  const { FEEDS: kv, DB: db, HUB_QUEUE: queue } = c.env;
  if (kv === undefined || db === undefined || queue === undefined) {
    return plainText(503, 'The hub is not configured on this worker (FEEDS, DB or HUB_QUEUE).');
  }
  const text = await readTextPrefix(c.req.raw.body, 4096);
  let json: unknown;
  try {
    json = JSON.parse(text.text);
  } catch {
    json = undefined;
  }
  const body = DeployedSchema.safeParse(json);
  if (!text.complete || !body.success) {
    return plainText(400, 'Send JSON {"previous": "<buildId>" | null, "current": "<buildId>"}.');
  }
  forgetPointer();
  const pointer = await readPointer(kv, resolvePointerSeconds(c.env.BUILD_POINTER_SECONDS));
  const served = pointer.state === 'loaded' ? pointer.build : undefined;
  if (served?.buildId !== body.data.current) {
    return plainText(
      409,
      `This location serves build ${served?.buildId ?? '(none)'}, not ${body.data.current}: the switch has not reached it yet, or a later one replaced it.`,
      { 'Retry-After': '15' },
    );
  }
  const previous =
    pointer.state === 'loaded'
      ? pointer.pointer.builds.find((build) => build.buildId === body.data.previous)
      : undefined;
  // One pass over the manifests for both: the changed feeds and the changed actors.
  const diff = await changedDocuments(
    kv,
    previous,
    served,
    (path) => isSubscriptionPath(path) || isActorPath(path),
  );
  const changed = new Map([...diff].filter(([path]) => isSubscriptionPath(path)));
  const actors = new Map([...diff].filter(([path]) => isActorPath(path)));
  const now = Date.now();
  const enqueued = await enqueueDeliveries(queue, db, served, changed, now);
  // ActivityPub followers of the changed feeds and actors (docs/activitypub.md, "Deliveries").
  let activities = await enqueueFeedActivities(kv, db, queue, previous, served, changed);
  const key = actorKeyOf(c.env.ACTIVITYPUB_PRIVATE_KEY);
  if (previous !== undefined && actors.size > 0 && key !== undefined) {
    const { publicKeyPem } = await key;
    activities += await enqueueActorUpdates(kv, db, queue, served, actors, publicKeyPem);
  }
  await pruneHubTables(db, now);
  const summary = {
    previous: previous?.buildId ?? null,
    current: served.buildId,
    changed: [...changed.keys()],
    ...enqueued,
    activities,
  };
  return new Response(`${JSON.stringify(summary)}\n`, {
    status: 202,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
