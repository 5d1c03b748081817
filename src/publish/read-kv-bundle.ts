import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type BundleEntry, BundleEntrySchema } from '../core/document-record.ts';

const BundleSchema = z.array(BundleEntrySchema);

/** Reads `<out>/kv-bundle.json`; throws one line naming the file when it is not a bundle. */
export async function readKvBundle(file: string): Promise<BundleEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`${file}: cannot read the bundle (${code}); run the build first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${error instanceof Error ? error.message : error})`);
  }
  const parsed = BundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new Error(`${file}: not a KV bundle at ${where || 'top level'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}
