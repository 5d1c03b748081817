/** KV's limit on a value (https://developers.cloudflare.com/kv/platform/limits/). */
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

/** Fails the build, naming the document, when its bytes would not fit in one KV value. */
export function checkValueSize(path: string, bytes: number): void {
  if (bytes > MAX_VALUE_BYTES) {
    throw new Error(`${path} is ${bytes} bytes; KV allows ${MAX_VALUE_BYTES}: lower --page-size`);
  }
}
