/** Reading untrusted JSON-LD activities: an object, a string, an id. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An object's id: the string itself, or its `id` (ActivityStreams allows either). */
export function idOf(value: unknown): string | undefined {
  return isObject(value) ? stringOf(value.id) : stringOf(value);
}
