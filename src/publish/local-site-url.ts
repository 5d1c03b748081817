import { currentBuild } from '../core/build-record.ts';
import type { KvTarget } from './kv-target.ts';
import { readBuildPointer } from './read-build-pointer.ts';

/** Whether build flags name the site URL (`--site-url URL` or `--site-url=URL`). */
export function givesSiteUrl(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--site-url' || arg.startsWith('--site-url='));
}

/**
 * The build flags, with `--site-url siteUrl` added when they name none. Local commands use it
 * so that a build without the flag links to where it is served, not to the build's default
 * (http://127.0.0.1:8787): every link, the WebSub hub and each feed's `self` (its topic, W3C
 * WebSub §4) are the site URL plus a path, and a topic the hub does not serve is refused.
 */
export function withSiteUrl(args: readonly string[], siteUrl: string): string[] {
  return givesSiteUrl(args) ? [...args] : [...args, '--site-url', siteUrl];
}

/**
 * The site URL of the build `target` serves now, or undefined when it serves none (no
 * pointer, or one that does not read). `deploy --local` keeps it when not told another:
 * a deploy that moved the site URL would change every topic, and the subscriptions, kept
 * per topic URL, would get nothing from then on.
 */
export async function servedSiteUrl(target: KvTarget): Promise<string | undefined> {
  const read = await readBuildPointer(target);
  return read.state === 'loaded' ? currentBuild(read.pointer)?.siteUrl : undefined;
}
