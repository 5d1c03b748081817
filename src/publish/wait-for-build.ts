import { setTimeout as delay } from 'node:timers/promises';
import { PublishError } from './publish-error.ts';

/**
 * Waits until the server at `origin` answers with `buildId`: `X-Build-Id` on `/healthz`
 * (every response of the worker carries it; /healthz is never cached), or its JSON's
 * `buildId`. A server that answers without `X-Build-Id` is a worker from before build ids:
 * it cannot say which build it serves, so there is nothing to wait for. Times out with a
 * PublishError naming what it last saw.
 */
export async function waitForBuild(
  origin: string,
  buildId: string,
  timeoutMs = 20_000,
): Promise<string> {
  const url = new URL('/healthz', origin);
  const deadline = Date.now() + timeoutMs;
  let seen = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const header = response.headers.get('X-Build-Id');
      const body = await response.text();
      if (header === null) {
        return `server: ${origin} does not send X-Build-Id (a worker from before build ids); not waiting`;
      }
      if (header === buildId || bodyBuildId(body) === buildId) {
        return `server: ${origin} answers with build ${buildId}`;
      }
      seen = `build ${header} (HTTP ${response.status})`;
    } catch (error) {
      seen = error instanceof Error ? error.message : String(error);
    }
    await delay(250);
  }
  throw new PublishError(
    `the store now serves build ${buildId}, but ${origin} still answered with ${seen} after ${timeoutMs / 1000} s; is that server \`npm start\` on this --persist-to?`,
  );
}

function bodyBuildId(body: string): string | undefined {
  try {
    const json: unknown = JSON.parse(body);
    const id = typeof json === 'object' && json !== null ? Reflect.get(json, 'buildId') : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
