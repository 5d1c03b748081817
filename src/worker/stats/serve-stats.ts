import type { Context } from 'hono';
import { MEDIA_TYPES } from '../../core/media-types.ts';
import type { WorkerEnv } from '../bindings.ts';
import type { Problem } from '../problem.ts';
import { problemResponse } from '../problem-response.ts';
import { HTML_SECURITY_HEADERS } from '../security-headers.ts';
import { noBuildProblem } from '../unavailable.ts';
import type { StatsReport, StatsView } from './feed-stats.ts';
import { readFeedStats } from './read-feed-stats.ts';
import { renderStatsPage } from './render-stats-page.ts';
import { readServedFeeds } from './served-feeds.ts';

/** GET /stats.json (behind requireStatsToken): the statistics as JSON, never cached. */
export async function serveStatsJson(c: Context<WorkerEnv>): Promise<Response> {
  const view = await loadStats(c);
  if (view instanceof Response) return view;
  const report: StatsReport = {
    feeds: view.feeds.map(({ parts: _parts, ...feed }) => feed),
  };
  return new Response(`${JSON.stringify(report)}\n`, {
    headers: { 'Content-Type': MEDIA_TYPES.json, 'Cache-Control': 'no-store' },
  });
}

/** GET /stats (behind requireStatsToken): the statistics as an HTML page, never cached. */
export async function serveStatsPage(c: Context<WorkerEnv>): Promise<Response> {
  const view = await loadStats(c);
  if (view instanceof Response) return view;
  return new Response(renderStatsPage(view), {
    headers: {
      ...HTML_SECURITY_HEADERS,
      'Content-Type': MEDIA_TYPES.html,
      'Cache-Control': 'no-store',
    },
  });
}

/**
 * The served build's subscription documents and their statistics, or the 503 that says
 * why there are none: no KV or D1 binding, no build loaded, or D1 failing or without the
 * stats tables (migrations not applied).
 */
async function loadStats(c: Context<WorkerEnv>): Promise<StatsView | Response> {
  const accept = c.req.header('Accept');
  const unavailable = (problem: Problem) =>
    problemResponse(problem, accept, { 'Retry-After': '60' });
  const kv = c.env.FEEDS;
  if (kv === undefined) return unavailable(noBuildProblem({ state: 'unbound' }));
  const db = c.env.DB;
  if (db === undefined) {
    return unavailable({
      status: 503,
      code: 'd1-binding-missing',
      message:
        'The DB D1 database is not bound to this worker; add it to wrangler.toml and deploy again.',
    });
  }
  const served = await readServedFeeds(kv, c.env.BUILD_POINTER_SECONDS);
  if ('state' in served) {
    const message =
      served.state === 'missing'
        ? 'No build is served yet: the FEEDS namespace has no build pointer (meta:current).'
        : `The build pointer is unreadable: ${served.reason}.`;
    return unavailable({ status: 503, code: 'bundle-not-loaded', message });
  }
  try {
    return await readFeedStats(db, served, Date.now());
  } catch (error) {
    console.error('edgefeed: stats could not be read from D1', error);
    const missing = /no such table: stats_/.test(String(error));
    return unavailable({
      status: 503,
      code: missing ? 'stats-not-set-up' : 'stats-unavailable',
      message: missing
        ? 'The statistics tables are not in the DB database; apply its migrations (wrangler d1 migrations apply DB).'
        : 'The statistics could not be read from the DB database; try again shortly.',
    });
  }
}
