// zod/mini: the worker parses the pointer, which carries these records.
import * as z from 'zod/mini';

/**
 * What a build is: its id, when its newest article is from, what it holds, and the hashes
 * of its manifest shards (`m:<hash>`, in shard order; the count is a power of two). The id
 * is made from the shard hashes, so two builds of the same documents have the same id.
 */
export const BuildRecordSchema = z.object({
  buildId: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  /** SOURCE_DATE_EPOCH or the newest article's date, never the clock: builds reproduce. */
  builtAt: z.string(),
  generator: z.string(),
  /** The public base URL every link in the build points at. */
  siteUrl: z.string(),
  /** The WebSub hub the subscription documents advertise (RFC: W3C WebSub §4). */
  hubUrl: z.string(),
  counts: z.object({
    articles: z.number(),
    topics: z.number(),
    providers: z.number(),
    feeds: z.number(),
    documents: z.number(),
    archivePages: z.number(),
  }),
  shards: z.array(z.string().check(z.regex(/^[A-Za-z0-9_-]{27}$/))).check(z.minLength(1)),
});
export type BuildRecord = z.infer<typeof BuildRecordSchema>;

/** A build the pointer keeps: when it last became the one served, and when it stopped. */
export const KeptBuildSchema = z.extend(BuildRecordSchema, {
  switchedAt: z.string(),
  retiredAt: z.optional(z.string()),
});
export type KeptBuild = z.infer<typeof KeptBuildSchema>;

/**
 * `meta:current`: the build served and the builds kept for rollback, most recently served
 * first. Switching builds is one write of this value.
 */
export const BuildPointerSchema = z.object({
  version: z.literal(1),
  current: z.string(),
  builds: z.array(KeptBuildSchema),
});
export type BuildPointer = z.infer<typeof BuildPointerSchema>;

/** The build the pointer says is served, or undefined when it is not among the kept ones. */
export function currentBuild(pointer: BuildPointer): KeptBuild | undefined {
  return pointer.builds.find((build) => build.buildId === pointer.current);
}
