import { describe, expect, it } from 'vitest';
import { foldTopicName, slugifyTopic } from '../../src/core/slugify-topic.ts';

describe('slugifyTopic', () => {
  it.each([
    ['Canvas apps', 'canvas-apps'],
    ['AI', 'ai'],
    ['  Power   Apps  ', 'power-apps'],
    ['C++ / C#', 'c-c'],
    ['日本語', '日本語'],
    ['Café Society', 'café-society'],
    ['A\u200BI', 'ai'], // zero-width space is invisible, not a separator
    ['\u202Eevil', 'evil'], // right-to-left override
  ])('%j → %j', (name, slug) => {
    expect(slugifyTopic(name)).toBe(slug);
  });

  it('gives an empty slug for a name with no letters or digits (the build reports it)', () => {
    expect(slugifyTopic('!!! ---')).toBe('');
  });

  it('folds names that differ only in case or spacing to one', () => {
    expect(foldTopicName('Power  Apps')).toBe(foldTopicName(' power apps'));
  });
});
