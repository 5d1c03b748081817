import { createHash } from 'node:crypto';
import { actorPath, handleOf, outboxPagePath, outboxPath } from '../../core/actor-paths.ts';
import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import { assembleDocument } from './document-frame.ts';
import { archiveItems } from './feed-document.ts';
import { renderActor } from './render-actor.ts';
import { renderNoteHead } from './render-note.ts';
import { latestOutboxItems, outboxPageFrame, renderOutbox } from './render-outbox.ts';

/** What the actor documents of one feed are made from (planDocuments supplies it). */
export type ActorPlanInput = {
  site: SiteSettings;
  group: FeedGroup<ArticleCore>;
  pageSize: number;
  /** Each item's feed-independent Note body (ItemMarkup, format `note`). */
  notes: (items: readonly ArticleCore[]) => Buffer[];
  /** Hash of the site settings and the feed's words and counts (planDocuments' meta). */
  metaHash: string;
  /** What an item's markup depends on, spelled short, for a list of items. */
  idsOf: (items: readonly ArticleCore[]) => string;
  /** Hash of sealed page k's inputs (k = 1 …), the archive page's own. */
  pageHash: (page: number) => string;
};

/** A job as planDocuments keeps it (structurally its DocumentJob). */
export type ActorJob = {
  path: string;
  type: 'activity';
  updated: number;
  inputHash: string;
  render: () => Buffer[];
};

/**
 * A feed's ActivityPub documents (docs/activitypub.md): its actor, its outbox collection,
 * the outbox's latest page and one sealed outbox page per RFC 5005 archive page, each with
 * the hash of what its bytes depend on, as for every document. None for a feed whose key
 * can make no handle (actor-paths.ts).
 */
export function planActorDocuments(input: ActorPlanInput): ActorJob[] {
  const { group: g, site } = input;
  if (handleOf(g.scope) === undefined) return [];
  const jobs: ActorJob[] = [
    {
      path: actorPath(g.scope),
      type: 'activity',
      updated: g.updated,
      inputHash: hash('actor', input.metaHash),
      render: () => [Buffer.from(renderActor(site, g))],
    },
    {
      path: outboxPath(g.scope),
      type: 'activity',
      updated: g.updated,
      inputHash: hash('outbox', input.metaHash, String(input.pageSize)),
      render: () => [Buffer.from(renderOutbox(site, g, input.pageSize))],
    },
    outboxPageJob(input, 'latest'),
  ];
  for (let page = 1; page <= g.archivePages; page++) jobs.push(outboxPageJob(input, page));
  return jobs;
}

/** One outbox page: `latest`, or sealed page k, with the same items as archive page k. */
export function outboxPageJob(input: ActorPlanInput, page: number | 'latest'): ActorJob {
  const { group: g, site, pageSize } = input;
  const items =
    page === 'latest' ? latestOutboxItems(g, pageSize) : archiveItems(g, page, pageSize);
  const inputHash =
    page === 'latest'
      ? hash('outbox-latest', input.metaHash, input.idsOf(items))
      : hash('outbox-page', input.pageHash(page));
  return {
    path: outboxPagePath(g.scope, page),
    type: 'activity',
    updated: items.at(-1)?.date ?? 0,
    inputHash,
    render: () => {
      const newestFirst = [...items].reverse();
      const bodies = input.notes(newestFirst);
      const creates = newestFirst.map((core, i) =>
        Buffer.concat([
          Buffer.from(renderNoteHead(core, g.scope, site)),
          bodies[i] ?? Buffer.alloc(0),
          CLOSE,
        ]),
      );
      return assembleDocument(outboxPageFrame(site, g.scope, page, g.archivePages), creates);
    },
  };
}

const CLOSE = Buffer.from('}');

function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url');
}
