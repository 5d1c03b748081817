import { Hono } from 'hono';
import type { WorkerEnv } from './bindings.ts';
import { answerOptions, rejectMethod } from './method-responses.ts';
import { problemResponse } from './problem-response.ts';
import { redirectToCanonical } from './redirect-to-canonical.ts';
import { serveDocument } from './serve-document.ts';
import { serveHealth } from './serve-health.ts';
import { countRequests } from './stats/count-requests.ts';
import { limitPolling } from './stats/limit-polling.ts';
import { requireStatsToken } from './stats/require-stats-token.ts';
import { serveStatsJson, serveStatsPage } from './stats/serve-stats.ts';

/**
 * The worker: /healthz and the publisher's /stats, then every other GET (and HEAD, which
 * Hono answers with the GET handler minus the body) is a stored document. Requests for
 * subscription documents are counted (outermost, so a 429 is counted too) and rude
 * pollers stopped before a document is looked up. The app only composes; each piece is
 * in its own file.
 */
export const app = new Hono<WorkerEnv>();

app.get('/healthz', serveHealth);
app.get('/stats', requireStatsToken, serveStatsPage);
app.get('/stats.json', requireStatsToken, serveStatsJson);
app.use('*', countRequests(), limitPolling());
app.get('*', redirectToCanonical, serveDocument);
app.options('*', answerOptions);
app.all('*', rejectMethod);

app.notFound(function notFound(c) {
  return problemResponse(
    { status: 404, code: 'not-found', message: 'Nothing is published here.' },
    c.req.header('Accept'),
  );
});

/** Only our own bugs reach here: log the path, answer 500 without details. */
app.onError(function onError(error, c) {
  console.error(
    `edgefeed: 500 for ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}`,
    error,
  );
  return problemResponse(
    {
      status: 500,
      code: 'internal-error',
      message: 'Something went wrong on our side; it has been logged.',
    },
    c.req.header('Accept'),
  );
});
