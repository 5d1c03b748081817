import { statSync } from 'node:fs';

/** Size and modification time of a bundle file, or undefined when there is none. */
export function statBundle(path: string): { size: number; mtimeNs: string } | undefined {
  try {
    const info = statSync(path, { bigint: true });
    return { size: Number(info.size), mtimeNs: String(info.mtimeNs) };
  } catch {
    return undefined;
  }
}
