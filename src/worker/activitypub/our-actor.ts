import { actorEndpointOf, actorPath, handleOf } from '../../core/actor-paths.ts';
import type { BuildRecord } from '../../core/build-record.ts';
import type { FeedScope } from '../../core/document-paths.ts';
import { findDocument } from '../store/find-document.ts';

/**
 * The feed whose actor an absolute URL names in this build (its `{feed}/actor` document
 * exists), or undefined: the check a Follow's object and a WebFinger resource pass.
 */
export async function findOurActor(
  kv: KVNamespace,
  build: BuildRecord,
  url: string,
): Promise<{ scope: FeedScope; path: string; id: string } | undefined> {
  if (!url.startsWith(`${build.siteUrl}/`)) return undefined;
  const endpoint = actorEndpointOf(url.slice(build.siteUrl.length));
  if (endpoint === undefined || endpoint.endpoint !== 'actor') return undefined;
  return ourActorOf(kv, build, endpoint.scope);
}

/** The actor of a feed scope, when the build has one. */
export async function ourActorOf(
  kv: KVNamespace,
  build: BuildRecord,
  scope: FeedScope,
): Promise<{ scope: FeedScope; path: string; id: string } | undefined> {
  if (handleOf(scope) === undefined) return undefined;
  const path = actorPath(scope);
  if ((await findDocument(kv, build, path)) === undefined) return undefined;
  return { scope, path, id: `${build.siteUrl}${path}` };
}
