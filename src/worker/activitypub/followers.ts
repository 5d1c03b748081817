// zod/mini: rows are checked when read, and the worker pays for each byte of schema code.
import * as z from 'zod/mini';

/**
 * The `followers` table (migrations/0003_activitypub.sql): one row per (our actor path,
 * remote actor). Every query on it is here.
 */
export type Follower = {
  actor: string;
  follower: string;
  inbox: string;
  followId: string;
  followedAt: number;
};

/** A Follow accepted: inserted, or replacing the pair's earlier Follow. */
export async function addFollower(db: D1Database, f: Follower): Promise<void> {
  await db
    .prepare(
      `INSERT INTO followers (actor, follower, inbox, follow_id, followed_at)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (actor, follower) DO UPDATE SET
         inbox = excluded.inbox, follow_id = excluded.follow_id, followed_at = excluded.followed_at`,
    )
    .bind(f.actor, f.follower, f.inbox, f.followId, f.followedAt)
    .run();
}

/**
 * An Undo of a Follow: the follower's row for that actor, or, when the Undo names only the
 * Follow's id, the follower's row with that id. Returns how many rows went.
 */
export async function removeFollower(
  db: D1Database,
  follower: string,
  actor: string | undefined,
  followId: string | undefined,
): Promise<number> {
  const result = await db
    .prepare('DELETE FROM followers WHERE follower = ?1 AND (actor = ?2 OR follow_id = ?3)')
    .bind(follower, actor ?? null, followId ?? null)
    .run();
  return result.meta.changes ?? 0;
}

/** An inbox answered 410 Gone: every follower delivered there is gone. */
export async function removeInbox(db: D1Database, inbox: string): Promise<number> {
  const result = await db.prepare('DELETE FROM followers WHERE inbox = ?1').bind(inbox).run();
  return result.meta.changes ?? 0;
}

/** The distinct inboxes of each actor's followers (one delivery per shared inbox). */
export async function listFollowerInboxes(
  db: D1Database,
  actors: readonly string[],
): Promise<Map<string, string[]>> {
  const inboxes = new Map<string, string[]>();
  if (actors.length === 0) return inboxes;
  const { results } = await db
    .prepare(
      `SELECT DISTINCT actor, inbox FROM followers
       WHERE actor IN (SELECT value FROM json_each(?1)) ORDER BY actor, inbox`,
    )
    .bind(JSON.stringify(actors))
    .all();
  for (const row of results) {
    const { actor, inbox } = ActorInboxSchema.parse(row);
    inboxes.set(actor, [...(inboxes.get(actor) ?? []), inbox]);
  }
  return inboxes;
}

/** Actors that have at least one follower, with the count. */
export async function countFollowers(db: D1Database): Promise<Map<string, number>> {
  const { results } = await db
    .prepare('SELECT actor, COUNT(*) AS n FROM followers GROUP BY actor')
    .all();
  return new Map(
    results.map((row) => {
      const { actor, n } = ActorCountSchema.parse(row);
      return [actor, n] as const;
    }),
  );
}

/** One actor's follower count. */
export async function countFollowersOf(db: D1Database, actor: string): Promise<number> {
  const row = await db
    .prepare('SELECT COUNT(*) AS n FROM followers WHERE actor = ?1')
    .bind(actor)
    .first();
  return z.object({ n: z.number() }).parse(row).n;
}

const ActorInboxSchema = z.object({ actor: z.string(), inbox: z.string() });
const ActorCountSchema = z.object({ actor: z.string(), n: z.number() });
