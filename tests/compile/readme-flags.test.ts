// The README's flag list is the build's --help, word for word: one can drift from the other
// only by failing this test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_USAGE } from '../../src/compile/parse-build-args.ts';

describe('the README', () => {
  it('lists exactly the flags --help lists', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /## Build flags[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
    const options = BUILD_USAGE.slice(BUILD_USAGE.indexOf('Options:\n') + 'Options:\n'.length);
    const help = options.slice(0, options.indexOf('\n\n') + 1);
    expect(block).toBe(help);
  });
});
