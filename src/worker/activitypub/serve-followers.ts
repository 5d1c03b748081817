import type { Context } from 'hono';
import { actorEndpointOf, followersPath } from '../../core/actor-paths.ts';
import type { WorkerEnv } from '../bindings.ts';
import { plainText } from '../hub/plain-text.ts';
import { AS_CONTEXT } from './activity-type.ts';
import { countFollowersOf } from './followers.ts';
import { ourActorOf } from './our-actor.ts';

/**
 * `{feed}/followers` (ActivityPub §5.3): an OrderedCollection with its `totalItems` read
 * from D1 and no items: who follows a feed is not published (as on Mastodon when an account
 * hides its network). Cached for 30 s.
 */
export async function serveFollowers(c: Context<WorkerEnv>): Promise<Response> {
  const pointer = c.get('pointer');
  const { FEEDS: kv, DB: db } = c.env;
  if (kv === undefined || db === undefined || pointer.state !== 'loaded') {
    return plainText(503, 'No build is served yet, or the worker lacks its FEEDS or DB binding.');
  }
  const endpoint = actorEndpointOf(new URL(c.req.url).pathname);
  const actor =
    endpoint === undefined ? undefined : await ourActorOf(kv, pointer.build, endpoint.scope);
  if (actor === undefined) return c.notFound();
  const collection = {
    '@context': AS_CONTEXT,
    id: `${pointer.build.siteUrl}${followersPath(actor.scope)}`,
    type: 'OrderedCollection',
    totalItems: await countFollowersOf(db, actor.path),
  };
  return new Response(`${JSON.stringify(collection)}\n`, {
    headers: {
      'Content-Type': 'application/activity+json; charset=utf-8',
      'Cache-Control': 'public, max-age=30',
      'Access-Control-Allow-Origin': '*',
    },
  });
}
