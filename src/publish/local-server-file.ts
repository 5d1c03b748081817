import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** `DIR/edgefeed-server.json`: written by `npm start` while it serves the store in DIR. */
export const SERVER_FILE = 'edgefeed-server.json';

const ServerFileSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  origin: z.string().url(),
  deployToken: z.string().min(16),
});
export type LocalServer = z.infer<typeof ServerFileSchema>;

/** Records the server serving the store in `persistTo` (replaced whole, never half-written). */
export function writeServerFile(persistTo: string, server: LocalServer): void {
  const file = join(persistTo, SERVER_FILE);
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(server, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Removes the file if it is still `pid`'s (a later `npm start` may have replaced it). */
export function removeServerFile(persistTo: string, pid: number): void {
  if (readServerFile(persistTo)?.pid === pid) rmSync(join(persistTo, SERVER_FILE), { force: true });
}

/**
 * The server serving the store in `persistTo`, or undefined when there is none: no file,
 * an unreadable one, or one whose process is gone (killed without removing it).
 */
export function readServerFile(persistTo: string): LocalServer | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(persistTo, SERVER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = ServerFileSchema.safeParse(json);
  if (!parsed.success || !isAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is someone else's; only ESRCH says it is gone.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
