import { Hono } from 'hono';
import { handleInbox } from './activitypub/handle-inbox.ts';
import { serveFollowers } from './activitypub/serve-followers.ts';
import { serveWebfinger } from './activitypub/serve-webfinger.ts';
import type { WorkerEnv } from './bindings.ts';
import { handleDeployTrigger } from './hub/handle-deploy-trigger.ts';
import { handleHubRequest } from './hub/handle-hub-request.ts';
import { rejectHubMethod } from './hub/reject-hub-method.ts';
import { answerOptions, rejectMethod } from './method-responses.ts';
import { problemResponse } from './problem-response.ts';
import { redirectToCanonical } from './redirect-to-canonical.ts';
import { serveDocument } from './serve-document.ts';
import { serveHealth } from './serve-health.ts';
import { BUILD_ID_HEADER, buildIdOf, servedBuild } from './served-build.ts';
import { countRequests } from './stats/count-requests.ts';
import { limitPolling } from './stats/limit-polling.ts';
import { requireStatsToken } from './stats/require-stats-token.ts';
import { serveStatsJson, serveStatsPage } from './stats/serve-stats.ts';
import { StoreUnavailableError } from './store/from-store.ts';
import { BrokenBuildError } from './store/read-shard.ts';
import { BUILD_INCOMPLETE, STORE_UNAVAILABLE, UNAVAILABLE_HEADERS } from './unavailable.ts';

/**
 * The worker: first the build pointer, read once per request (every answer names its build
 * in X-Build-Id, and every handler serves that build); then /healthz, the WebSub hub
 * (POST /hub) and the deploy trigger that makes it push, and the publisher's /stats; then
 * every other GET (and HEAD, which Hono answers with the GET handler minus the body) is a
 * stored document. Requests for subscription documents are counted (outermost of those,
 * so a 429 is counted too) and rude pollers stopped before a document is looked up. The app
 * only composes; each piece is in its own file.
 */
export const app = new Hono<WorkerEnv>();

app.use(servedBuild({ freshPaths: ['/healthz', '/_edgefeed/deployed'] }));
app.get('/healthz', serveHealth);
app.post('/hub', handleHubRequest);
app.all('/hub', rejectHubMethod);
app.post('/_edgefeed/deployed', handleDeployTrigger);
app.get('/stats', requireStatsToken, serveStatsPage);
app.get('/stats.json', requireStatsToken, serveStatsJson);
// ActivityPub (docs/activitypub.md): WebFinger, the inboxes, the follower counts; actors
// and outboxes are stored documents, served below.
app.get('/.well-known/webfinger', serveWebfinger);
for (const folder of ['', '/topics/:key', '/providers/:key']) {
  app.post(`${folder}/inbox`, handleInbox);
  app.get(`${folder}/followers`, serveFollowers);
}
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

/**
 * Errors by kind, in one place. A build whose shard or body is missing from KV is a 503 (a
 * deploy that switched before its upload finished, or a value deleted by hand; never a 404,
 * which caches would keep as the answer), and so is KV failing to answer; both are logged
 * with the path. Anything else is our own bug: logged, 500 without details. Each answer
 * names the request's build itself: servedBuild adds the header after a handler's error,
 * but not when its own pointer read is what threw (`none` then).
 */
app.onError(function onError(error, c) {
  const where = `${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}`;
  const headers = { [BUILD_ID_HEADER]: buildIdOf(c.get('pointer')) };
  const accept = c.req.header('Accept');
  if (error instanceof BrokenBuildError || error instanceof StoreUnavailableError) {
    console.error(`edgefeed: 503 for ${where}: ${error.message}`);
    const problem = error instanceof BrokenBuildError ? BUILD_INCOMPLETE : STORE_UNAVAILABLE;
    return problemResponse(problem, accept, { ...headers, ...UNAVAILABLE_HEADERS });
  }
  console.error(`edgefeed: 500 for ${where}`, error);
  return problemResponse(
    {
      status: 500,
      code: 'internal-error',
      message: 'Something went wrong on our side; it has been logged.',
    },
    accept,
    headers,
  );
});
