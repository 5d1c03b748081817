import { utcDay } from './utc-day.ts';

/** One answered GET or HEAD of a subscription document, as the counting middleware saw it. */
export type Hit = {
  path: string;
  /** Epoch ms. */
  at: number;
  status: 200 | 304 | 429;
  /** Body bytes sent (0 for HEAD, 304 and 429). */
  bytes: number;
  /** The client address; held in memory until the batch is written, never stored. */
  address: string;
  userAgent: string;
};

/** What one document served on one UTC day, so far in this batch. */
export type DayCounts = {
  path: string;
  day: string;
  requests: number;
  notModified: number;
  tooManyRequests: number;
  bytes: number;
};

/** One client (address and User-Agent) seen fetching one document on one day. */
export type Sighting = {
  path: string;
  day: string;
  address: string;
  userAgent: string;
  firstSeen: number;
  lastSeen: number;
};

export type StatsBatch = { counts: DayCounts[]; sightings: Sighting[] };

/** User-Agents are kept to this length: enough for every reader in the table. */
const MAX_USER_AGENT = 512;

/**
 * Counts gathered in this isolate between two writes to D1. Adding a hit is a few map
 * updates and nothing else: no hashing, no parsing, no I/O; all of that happens when the
 * batch is written, after the response (see count-requests.ts).
 */
export class StatsBuffer {
  /** Per document: the current day's counts and who fetched it, by address and User-Agent. */
  #documents = new Map<string, { counts: DayCounts; sightings: Map<string, Sighting> }>();
  /** Entries of days that ended while the batch was gathering (rare: around midnight). */
  #earlier: StatsBatch = { counts: [], sightings: [] };
  #entries = 0;
  #since: number | undefined;
  #day = { start: 0, end: 0, name: '' };

  /** When a timed write was scheduled for the pending entries (undefined: none is). */
  timerSince: number | undefined;

  /** Counts and sightings pending: the batch's size in statements, near enough. */
  get entries(): number {
    return this.#entries;
  }

  /** When the oldest pending entry arrived (undefined when nothing is pending). */
  get since(): number | undefined {
    return this.#since;
  }

  add(hit: Hit): void {
    const document = this.#documentOf(hit.path, hit.at);
    const counts = document.counts;
    counts.requests += 1;
    if (hit.status === 304) counts.notModified += 1;
    else if (hit.status === 429) counts.tooManyRequests += 1;
    counts.bytes += hit.bytes;
    const userAgent =
      hit.userAgent.length > MAX_USER_AGENT
        ? hit.userAgent.slice(0, MAX_USER_AGENT)
        : hit.userAgent;
    const key = `${hit.address}\n${userAgent}`;
    const seen = document.sightings.get(key);
    if (seen === undefined) {
      document.sightings.set(key, {
        path: hit.path,
        day: counts.day,
        address: hit.address,
        userAgent,
        firstSeen: hit.at,
        lastSeen: hit.at,
      });
      this.#entries += 1;
    } else if (hit.at > seen.lastSeen) {
      seen.lastSeen = hit.at;
    }
  }

  /** Bytes of a body whose length was known only once it had been sent. */
  addBytes(path: string, at: number, bytes: number): void {
    this.#documentOf(path, at).counts.bytes += bytes;
  }

  /** Everything pending, leaving the buffer empty; undefined when nothing is pending. */
  take(): StatsBatch | undefined {
    if (this.#entries === 0) return undefined;
    const batch = this.#earlier;
    for (const { counts, sightings } of this.#documents.values()) {
      batch.counts.push(counts);
      for (const sighting of sightings.values()) batch.sightings.push(sighting);
    }
    this.#documents = new Map();
    this.#earlier = { counts: [], sightings: [] };
    this.#entries = 0;
    this.#since = undefined;
    return batch;
  }

  #documentOf(path: string, at: number) {
    const day = this.#dayOf(at);
    let document = this.#documents.get(path);
    if (document !== undefined && document.counts.day !== day) {
      // The document's day ended: its entries wait in the batch, a new day begins.
      this.#earlier.counts.push(document.counts);
      for (const sighting of document.sightings.values()) this.#earlier.sightings.push(sighting);
      document = undefined;
    }
    if (document === undefined) {
      const counts = { path, day, requests: 0, notModified: 0, tooManyRequests: 0, bytes: 0 };
      document = { counts, sightings: new Map() };
      this.#documents.set(path, document);
      this.#entries += 1;
      this.#since ??= at;
    }
    return document;
  }

  /** utcDay, worked out once per day rather than once per hit. */
  #dayOf(at: number): string {
    if (at < this.#day.start || at >= this.#day.end) {
      const name = utcDay(at);
      const start = Date.parse(`${name}T00:00:00Z`);
      this.#day = { start, end: start + 86_400_000, name };
    }
    return this.#day.name;
  }
}
