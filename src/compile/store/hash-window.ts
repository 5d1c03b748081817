import { webcrypto } from 'node:crypto';

/** Bytes of documents being hashed at once, at most: a bound on what rendering runs ahead. */
const MAX_IN_FLIGHT = 64 * 2 ** 20;

/**
 * Hashes document bodies off this thread: Web Crypto's digest runs in libuv's thread pool,
 * so the second core hashes (and the pool writes) while this thread renders the next
 * document — at 100,000 seeds that is 1.7 GB of SHA-256. Each body's hash is the first 27
 * base64url characters of its SHA-256, as `contentHash` makes it; `then` runs on this
 * thread when it is known. Rendering waits once MAX_IN_FLIGHT bytes are in flight.
 */
export class HashWindow {
  #inFlight = 0;
  #pending = 0;
  #failure: unknown;
  /** Woken whenever a hash completes. */
  #waiters: (() => void)[] = [];

  async add(body: Buffer, then: (hash: string) => void): Promise<void> {
    this.#inFlight += body.length;
    this.#pending++;
    webcrypto.subtle
      .digest('SHA-256', body)
      .then((digest) => then(Buffer.from(digest).toString('base64url').slice(0, 27)))
      .catch((error: unknown) => {
        this.#failure ??= error;
      })
      .finally(() => {
        this.#inFlight -= body.length;
        this.#pending--;
        for (const wake of this.#waiters.splice(0)) wake();
      });
    while (this.#inFlight > MAX_IN_FLIGHT) await this.#next();
    if (this.#failure !== undefined) throw this.#failure;
  }

  async drain(): Promise<void> {
    while (this.#pending > 0) await this.#next();
    if (this.#failure !== undefined) throw this.#failure;
  }

  #next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
