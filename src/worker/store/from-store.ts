/**
 * KV failed to answer (it threw: an outage, a rate limit). Not our bug and usually brief, so
 * the app answers 503 with Retry-After, as for a build that is not there yet.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Runs one KV read of `key`, turning a thrown failure into a StoreUnavailableError. */
export async function fromStore<T>(key: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new StoreUnavailableError(`reading ${key} from FEEDS failed`, { cause: error });
  }
}
