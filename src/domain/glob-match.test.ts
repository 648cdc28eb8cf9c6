import { globMatch } from './glob-match.ts';

describe('globMatch', () => {
  it.each([
    ['*.fa', 'x.fa', true],
    ['*.fa', 'x.fasta', false],
    ['r?.txt', 'r1.txt', true],
    ['r?.txt', 'r10.txt', false],
    ['a+b(c).txt', 'a+b(c).txt', true],
    ['a.txt', 'abtxt', false],
  ])('%s against %s is %s', (pattern, name, expected) => {
    expect(globMatch(pattern, name)).toBe(expected);
  });
});
