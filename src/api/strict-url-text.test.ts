import { parseFormStrict, urlPathProblem } from './strict-url-text.ts';

describe('strict URL text', () => {
  it('parses a form as URLSearchParams would when every escape is UTF-8', () => {
    expect(parseFormStrict('a=1&b=x+y%C3%A9&a=2&flag')).toEqual({ fields: { a: '2', b: 'x yé', flag: '' } });
  });

  it('names the field whose value is NUL, not UTF-8, or a malformed escape', () => {
    expect(parseFormStrict('name=a%00b', 'query.')).toEqual({
      problem: { path: 'query.name', message: expect.stringMatching(/NUL/) },
    });
    expect(parseFormStrict('name=%ED%B3%BF')).toEqual({
      problem: { path: 'name', message: 'is not valid percent-encoded UTF-8' },
    });
    expect(parseFormStrict('na%FFme=1')).toEqual({
      problem: { path: 'na%FFme', message: 'name is not valid percent-encoded UTF-8' },
    });
  });

  it('checks a path the same way', () => {
    expect(urlPathProblem('/api/v1/jobs/caf%C3%A9')).toBeNull();
    expect(urlPathProblem('/api/v1/jobs/a%00b')?.path).toBe('path');
    expect(urlPathProblem('/api/v1/jobs/%ED%B3%BF')?.message).toMatch(/percent-encoded/);
  });
});
