// zod/mini: the worker pays for each byte of schema code.
import * as z from 'zod/mini';

/** One UTC day of one subscription document. */
export const DayStatsSchema = z.strictObject({
  /** `YYYY-MM-DD`, UTC. */
  date: z.string(),
  requests: z.number(),
  notModified: z.number(),
  tooManyRequests: z.number(),
  bytes: z.number(),
  /** That day's readers: aggregators' largest counts, known readers, returning unknowns. */
  readers: z.number(),
});
export type DayStats = z.infer<typeof DayStatsSchema>;

/**
 * One subscription document in `/stats.json` (a public contract, docs/stats.md): its
 * estimated readers now, its totals over the last 30 UTC days, and those days, oldest
 * first, today last.
 */
export const FeedStatsSchema = z.strictObject({
  path: z.string(),
  readers: z.number(),
  /** The feed's ActivityPub followers (its actor's; the same for its three documents). */
  followers: z.number(),
  requests: z.number(),
  notModified: z.number(),
  tooManyRequests: z.number(),
  bytes: z.number(),
  days: z.array(DayStatsSchema),
});
export type FeedStats = z.infer<typeof FeedStatsSchema>;

/** `/stats.json`: every subscription document of the served build, most readers first. */
export const StatsReportSchema = z.strictObject({ feeds: z.array(FeedStatsSchema) });
export type StatsReport = z.infer<typeof StatsReportSchema>;

/** What an estimate is made of (shown on /stats, not part of /stats.json). */
export type ReaderParts = { aggregators: number; others: number; websub: number };

/** A feed group: a feed's three formats together (`/topics/ai/`), readers counted once. */
export type GroupStats = {
  folder: string;
  readers: number;
  /** The feed's ActivityPub followers (docs/activitypub.md). */
  followers: number;
  parts: ReaderParts;
  requests: number;
  notModified: number;
  bytes: number;
  feeds: { path: string; readers: number }[];
};

/** Everything /stats shows; /stats.json is `{ feeds }` without the parts. */
export type StatsView = {
  feeds: (FeedStats & { parts: ReaderParts })[];
  groups: GroupStats[];
  /** Epoch ms the estimate is for. */
  now: number;
};
