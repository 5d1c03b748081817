/** One request of the mix and the status it must get. */
export type PlannedRequest = { path: string; headers: Record<string, string>; expect: number };

export type TrafficMix = {
  feeds: PlannedRequest[];
  conditional: PlannedRequest[];
  missing: PlannedRequest[];
};

/** Shares of the mix: what a feed host sees from readers that poll with validators. */
export const MIX = { feeds: 0.6, conditional: 0.25, missing: 0.15 } as const;

type FeedsList = { feeds: { kind: string; urls: Record<string, string> }[] };

/**
 * The request pools, from the server's own /feeds.json: every topic and provider feed
 * (200), a sample of them with their current ETag in If-None-Match (304), and feeds of
 * topics and providers that do not exist (404).
 */
export async function planTraffic(origin: string, conditionalSample = 400): Promise<TrafficMix> {
  const response = await fetch(`${origin}/feeds.json`);
  if (response.status !== 200) throw new Error(`/feeds.json answered ${response.status}`);
  const list = (await response.json()) as FeedsList;
  const paths = list.feeds
    .filter((feed) => feed.kind === 'topic' || feed.kind === 'provider')
    .flatMap((feed) => Object.values(feed.urls).map((url) => new URL(url).pathname));
  if (paths.length === 0) throw new Error('/feeds.json lists no topic or provider feeds');

  const feeds = paths.map((path) => ({ path, headers: {}, expect: 200 }));
  const conditional: PlannedRequest[] = [];
  const step = Math.max(1, Math.floor(paths.length / conditionalSample));
  for (
    let index = 0;
    index < paths.length && conditional.length < conditionalSample;
    index += step
  ) {
    const path = paths[index] as string;
    const probe = await fetch(`${origin}${path}`);
    await probe.arrayBuffer();
    const etag = probe.headers.get('ETag');
    if (probe.status !== 200 || etag === null) throw new Error(`${path}: ${probe.status}, no ETag`);
    conditional.push({ path, headers: { 'if-none-match': etag }, expect: 304 });
  }
  const missing = Array.from({ length: 300 }, (_, index) => {
    const kind = index % 3;
    const path =
      kind === 0
        ? `/topics/no-such-topic-${index}/rss.xml`
        : kind === 1
          ? `/providers/nowhere-${index}.invalid/feed.json`
          : `/no/such/document-${index}.xml`;
    return { path, headers: {}, expect: 404 };
  });
  return { feeds, conditional, missing };
}

export type PoolName = keyof TrafficMix;

/** A random request of the mix, drawn with the MIX shares, or from one pool only. */
export function pickRequest(
  mix: TrafficMix,
  only?: PoolName,
  random = Math.random,
): PlannedRequest {
  if (only !== undefined)
    return mix[only][Math.floor(random() * mix[only].length)] as PlannedRequest;
  const roll = random();
  const pool =
    roll < MIX.feeds
      ? mix.feeds
      : roll < MIX.feeds + MIX.conditional
        ? mix.conditional
        : mix.missing;
  return pool[Math.floor(random() * pool.length)] as PlannedRequest;
}
