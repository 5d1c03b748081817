import { spawn } from 'node:child_process';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileBuild } from '../src/compile/compile-build.ts';

export type CorpusOptions = { repoRoot: string; count: number; seed: number };

export type Corpus = { seedsDir: string; outDir: string; stateDir: string; generated: boolean };

/** Where generated corpora, their builds and their KV stores are kept between runs. */
export const CACHE_ROOT = join(tmpdir(), 'edgefeed-loadtest');

/** The corpus generator shared by every edgefeed session (outside this repository). */
export function generatorPath(repoRoot: string): string {
  return join(repoRoot, '..', 'shared', 'tools', 'gen-corpus.mjs');
}

/**
 * A generated corpus of `count` seeds under the OS temp dir, made once per (count, seed):
 * it is written beside its final name and renamed when complete, so an interrupted run
 * never leaves a half corpus that a later run would trust.
 */
export async function prepareCorpus(options: CorpusOptions): Promise<Corpus> {
  const name = `corpus-${options.count}-seed${options.seed}`;
  const seedsDir = join(CACHE_ROOT, name, 'seeds');
  let generated = false;
  if (!(await exists(seedsDir))) {
    const partial = `${seedsDir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(join(CACHE_ROOT, name), { recursive: true });
    await run(process.execPath, [
      generatorPath(options.repoRoot),
      '--count',
      String(options.count),
      '--out',
      partial,
      '--seed',
      String(options.seed),
    ]);
    await rename(partial, seedsDir);
    generated = true;
  }
  return {
    seedsDir,
    outDir: join(CACHE_ROOT, name, 'dist'),
    stateDir: join(CACHE_ROOT, name, 'state'),
    generated,
  };
}

/**
 * Builds the corpus with the real build, in this process, as a content-addressed build
 * (record and values) ready to load. The generated corpus has topics whose slugs collide by
 * design (C++ and C#), so invalid seeds are skipped and the rest published, as a real site
 * would with --skip-invalid.
 */
export async function buildCorpus(repoRoot: string, corpus: Corpus, siteUrl: string) {
  const { build } = await compileBuild({
    seedsDir: corpus.seedsDir,
    outDir: corpus.outDir,
    siteUrl,
    taxonomyDir: undefined,
    pageSize: 50,
    skipInvalid: true,
    configPath: join(repoRoot, 'edgefeed.config.json'),
    quiet: true,
  });
  return build;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${args[0]} exited with ${code ?? signal}`));
    });
  });
}
