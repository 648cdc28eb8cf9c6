import { DomainError } from '../domain/domain-error.ts';
import { parseConfigBody, parseYaml, toYaml } from './config-format.ts';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('configuration text formats', () => {
  it('round-trips awkward strings through YAML unchanged', () => {
    const value = {
      strings: [
        'yes',
        'no',
        'null',
        '0123',
        '1e3',
        '',
        ' lead',
        'trail ',
        'a: b',
        '# not a comment',
        '- dash',
        'multi\nline',
        'ünï',
        "it's",
        '"q"',
      ],
      long: 'x '.repeat(200),
      shared: [[], []],
    };
    const text = toYaml(value);
    expect(parseYaml(text)).toEqual(value);
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('escapes characters YAML may not carry raw, so strict parsers read the export', () => {
    const value = { ['key\u0080']: ['c1 \u009f', 'del \u007f', 'nel \u0085', 'ls \u2028', 'bom \ufeff', 'nc \uffff'] };
    const text = toYaml(value);
    expect(text).not.toMatch(/[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/);
    expect(text).toContain('"c1 \\u009f"');
    expect(parseYaml(text)).toEqual(value);
  });

  it('leaves printable text unquoted', () => {
    expect(toYaml({ a: 'plain ünï' })).toBe('a: plain ünï\n');
  });

  it('refuses malformed YAML with invalid_yaml and the line', () => {
    const err = errorOf(() => parseYaml('backends:\n  - name: a\n   bad: [\n'));
    expect(err.code).toBe('invalid_yaml');
    expect(err.message).toMatch(/line \d+, column \d+/);
    expect((err.details as { line: number }).line).toBeGreaterThan(0);
  });

  it('refuses duplicate keys', () => {
    expect(errorOf(() => parseYaml('a: 1\na: 2\n')).code).toBe('invalid_yaml');
  });

  it('refuses deep nesting and alias bombs', () => {
    expect(errorOf(() => parseYaml('['.repeat(500_000) + ']'.repeat(500_000))).code).toBe('invalid_yaml');
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(errorOf(() => parseYaml(bomb)).code).toBe('invalid_yaml');
    expect(errorOf(() => parseConfigBody('['.repeat(100_000), 'application/json')).code).toBe('bad_request');
  });

  it('chooses the parser by Content-Type and refuses other types with 415', () => {
    expect(parseConfigBody('{"a": 1}', 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseConfigBody('a: 1', undefined)).toEqual({ a: 1 });
    expect(parseConfigBody('a: 1', 'text/yaml')).toEqual({ a: 1 });
    expect(errorOf(() => parseConfigBody('a=1', 'application/x-www-form-urlencoded')).code).toBe(
      'unsupported_media_type',
    );
    expect(errorOf(() => parseConfigBody('{', 'application/json')).code).toBe('bad_request');
  });
});
