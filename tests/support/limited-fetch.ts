// A GET for tests that crawl a local server: at most `size` requests in flight, each body
// read whole, a timeout per request, and a count of what was asked.

export type Fetched = { status: number; headers: Headers; body: string };

export type LimitedFetch = {
  get: (url: string, headers?: Record<string, string>) => Promise<Fetched>;
  /** Requests made so far. */
  readonly count: number;
};

const REQUEST_TIMEOUT_MS = 30_000;

export function limitedFetch(size: number): LimitedFetch {
  let active = 0;
  let count = 0;
  const waiting: (() => void)[] = [];
  // A finished request hands its slot straight to the next waiting one, so that no new
  // caller slips in between and `size` is never exceeded.
  const acquire = (): Promise<void> => {
    if (active < size) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const get = async (url: string, headers: Record<string, string> = {}): Promise<Fetched> => {
    await acquire();
    try {
      count++;
      const response = await fetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    } finally {
      release();
    }
  };
  return {
    get,
    get count() {
      return count;
    },
  };
}
