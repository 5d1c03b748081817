// The sequencer's list names files that exist: a renamed test file would otherwise lose its
// early start without anyone noticing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_FILES } from './long-files-first.ts';

describe('the files started first', () => {
  it('are test files of this repository, each named once', () => {
    const root = join(import.meta.dirname, '../..');
    expect(LONG_FILES.filter((file) => !existsSync(join(root, file)))).toEqual([]);
    expect(new Set(LONG_FILES).size).toBe(LONG_FILES.length);
  });
});
