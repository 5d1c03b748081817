import type { Context } from 'hono';
import { handleOf, scopeOfHandle } from '../../core/actor-paths.ts';
import { pagePath } from '../../core/document-paths.ts';
import type { WorkerEnv } from '../bindings.ts';
import { plainText } from '../hub/plain-text.ts';
import { ACTIVITY_TYPE } from './activity-type.ts';
import { findOurActor, ourActorOf } from './our-actor.ts';

/**
 * WebFinger (RFC 7033 §4): `GET /.well-known/webfinger?resource=acct:{handle}@{host}` (or
 * the actor's URL) answers the JRD with the actor as the `self` link of type
 * application/activity+json, which is how Mastodon and every other server find an account.
 * The answer is made here from the handle; it costs the manifest lookup of the actor (no
 * body read). 400 without a resource, 404 for one that is not ours.
 */
export async function serveWebfinger(c: Context<WorkerEnv>): Promise<Response> {
  const resource = c.req.query('resource');
  if (resource === undefined || resource === '') {
    return plainText(400, 'WebFinger needs ?resource=acct:name@host (RFC 7033 §4.1).');
  }
  const pointer = c.get('pointer');
  const kv = c.env.FEEDS;
  if (kv === undefined || pointer.state !== 'loaded')
    return plainText(503, 'No build is served yet.');
  const build = pointer.build;
  const host = new URL(build.siteUrl).host;
  let actor: Awaited<ReturnType<typeof findOurActor>>;
  if (/^acct:/i.test(resource)) {
    // RFC 7565: acct:userpart@host, the userpart possibly percent-encoded.
    const at = resource.lastIndexOf('@');
    let user = '';
    try {
      user = decodeURIComponent(resource.slice(5, at));
    } catch {
      user = '';
    }
    const scope =
      at > 5 && resource.slice(at + 1).toLowerCase() === host.toLowerCase()
        ? scopeOfHandle(user.toLowerCase())
        : undefined;
    actor = scope === undefined ? undefined : await ourActorOf(kv, build, scope);
  } else {
    actor = await findOurActor(kv, build, resource);
  }
  if (actor === undefined)
    return plainText(404, `${resource.slice(0, 200)} is not an account here.`);
  const page = `${build.siteUrl}${pagePath(actor.scope)}`;
  const jrd = {
    subject: `acct:${handleOf(actor.scope)}@${host}`,
    aliases: [actor.id, page],
    links: [
      { rel: 'self', type: ACTIVITY_TYPE, href: actor.id },
      { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: page },
    ],
  };
  return new Response(`${JSON.stringify(jrd)}\n`, {
    headers: {
      'Content-Type': 'application/jrd+json; charset=utf-8',
      // §5: "servers ... MUST support CORS", as browsers look accounts up too.
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'public, max-age=300',
    },
  });
}
