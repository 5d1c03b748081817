import { describe, expect, it } from 'vitest';
import { validateSeedBytes } from '../../src/compile/seeds/read-seed.ts';
import { seedText } from '../support/seed-folder.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const problemsOf = (file: string, text: string | Uint8Array) => {
  const result = validateSeedBytes(file, typeof text === 'string' ? bytes(text) : text);
  return result.status === 'invalid' ? result.problems : [];
};

describe('reading one seed', () => {
  it('accepts the format of the shipped seed and drops the secured field', () => {
    const result = validateSeedBytes('a.md', bytes(seedText()));
    expect(result.status).toBe('valid');
    expect(JSON.stringify(result)).not.toContain('secured');
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET');
  });

  it('treats published: false as unpublished, not invalid', () => {
    expect(validateSeedBytes('a.md', bytes(seedText({ published: false }))).status).toBe(
      'unpublished',
    );
  });

  it('reports every problem of a file at once, each with file, line and field', () => {
    const text = [
      '---',
      'title: 5',
      'publishedDateTime: 2021-13-01',
      'webUrl: "javascript:alert(1)"',
      'provider:',
      '  name: X',
      'topics: AI',
      '---',
    ].join('\n');
    const problems = problemsOf('news/bad.md', text);
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'news/bad.md',
          line: 3,
          field: 'publishedDateTime',
          message: 'not a date ("2021-13-01"): month 13',
        },
        expect.objectContaining({
          file: 'news/bad.md',
          line: 4,
          field: 'webUrl',
          message: expect.stringContaining('not an absolute http(s) URL'),
        }),
        expect.objectContaining({
          file: 'news/bad.md',
          field: 'provider.domain',
          message: 'missing',
        }),
        expect.objectContaining({
          file: 'news/bad.md',
          line: 7,
          field: 'topics',
          message: 'expected a list of topic names',
        }),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('says an item needs webUrl or originalUrl when it has neither', () => {
    const text = seedText().replace(/^webUrl:.*\n/m, '');
    expect(problemsOf('a.md', text)).toEqual([
      expect.objectContaining({
        field: 'webUrl',
        message: expect.stringContaining('needs webUrl or originalUrl'),
      }),
    ]);
  });

  it('accepts numbers as titles and reads CRLF and CR-only line endings', () => {
    expect(
      validateSeedBytes(
        'a.md',
        bytes(seedText({ title: '2021' }).replace(/^title: "2021"$/m, 'title: 2021')),
      ).status,
    ).toBe('valid');
    expect(validateSeedBytes('a.md', bytes(seedText().replace(/\n/g, '\r\n'))).status).toBe(
      'valid',
    );
    expect(validateSeedBytes('a.md', bytes(seedText().replace(/\n/g, '\r'))).status).toBe('valid');
  });

  it('reads an empty `topics:` as an article with no topics', () => {
    const result = validateSeedBytes(
      'a.md',
      bytes(seedText().replace(/topics:\n {2}- "AI"\n/, 'topics:\n')),
    );
    expect(result).toMatchObject({ status: 'valid', article: { topics: undefined } });
  });

  it('reads a UTF-8 byte order mark as nothing', () => {
    expect(validateSeedBytes('a.md', bytes(`\uFEFF${seedText()}`)).status).toBe('valid');
  });

  it.each([
    ['', 'empty file'],
    ['just some text\n', 'no front matter'],
    ['---\ntitle: x\n', 'unterminated front matter'],
    ['---\ntitle: [unclosed\n---\n', 'not valid YAML'],
    ['---\ntitle: a\ntitle: b\n---\n', 'duplicate key'],
    ['---\ntitle: !!js/function "function(){ return 1 }"\n---\n', 'unsupported YAML tag'],
  ])('rejects %j: %s', (text, reason) => {
    expect(problemsOf('x.md', text)[0]?.message).toContain(reason);
  });

  it('reports invalid UTF-8 with the byte offset', () => {
    const good = bytes('---\ntitle: ok');
    const bad = new Uint8Array([...good, 0xff, 0x0a]);
    expect(problemsOf('x.md', bad)[0]).toMatchObject({
      field: '(file)',
      message: `not UTF-8: invalid byte 0xff at byte offset ${good.length}`,
    });
  });

  it('refuses a YAML alias bomb quickly instead of expanding it', () => {
    const lol = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lol.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    lol.push('title: *j', '---');
    expect(problemsOf('bomb.md', lol.join('\n'))[0]?.message).toContain('alias');
  });

  it('hints that an event record is not an article', () => {
    const event =
      '---\nname: NeurIPS\ntype: conference\nstartDateTime: 2019-12-08T08:00:00-08:00\nprovider:\n  domain: nips.cc\n---\n';
    expect(problemsOf('e.md', event)).toContainEqual(
      expect.objectContaining({
        field: 'title',
        message: 'missing (this looks like an event record, not an article)',
      }),
    );
  });
});
