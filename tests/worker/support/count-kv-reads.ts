/** Every call made through a counted namespace, in order: `get meta:current`, `get c:<hash>`. */
export type KvCallLog = string[];

/**
 * Wraps a real KV namespace so each call through it is logged and then forwarded
 * unchanged: the worker still reads the real (local) namespace underneath.
 */
export function countKvReads(kv: KVNamespace): { namespace: KVNamespace; calls: KvCallLog } {
  const calls: KvCallLog = [];
  const namespace = new Proxy(kv, {
    get(target, property) {
      const member: unknown = Reflect.get(target, property);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        calls.push(`${String(property)} ${String(args[0])}`);
        return Reflect.apply(member, target, args);
      };
    },
  });
  return { namespace, calls };
}
