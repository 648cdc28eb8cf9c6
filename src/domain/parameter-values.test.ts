import { resolveParameters, type ParameterSpec } from './parameter-values.ts';

function spec(overrides: Partial<ParameterSpec>): ParameterSpec {
  return {
    taskName: 'psipred',
    alias: 'iterations',
    flag: '-n',
    type: 'string',
    defaultValue: null,
    required: false,
    choices: null,
    allowLeadingDash: false,
    ...overrides,
  };
}

describe('resolveParameters', () => {
  it('applies defaults to what is omitted and normalises switches', () => {
    const { values, problems } = resolveParameters(
      [spec({ type: 'integer', defaultValue: '3' }), spec({ alias: 'fast', type: 'switch', flag: '-f' })],
      { psipred_fast: 'TRUE' },
      { rejectUnknown: true },
    );
    expect(problems).toEqual([]);
    expect(values).toEqual({ psipred_iterations: '3', psipred_fast: 'true' });
  });

  it('names a missing required parameter', () => {
    const { problems } = resolveParameters([spec({ required: true })], {}, { rejectUnknown: true });
    expect(problems).toEqual([{ field: 'psipred_iterations', message: 'is required' }]);
  });

  it('checks integers, numbers and choices', () => {
    const { problems } = resolveParameters(
      [
        spec({ alias: 'a', type: 'integer' }),
        spec({ alias: 'b', type: 'number' }),
        spec({ alias: 'c', type: 'choice', choices: ['fast', 'slow'] }),
        spec({ alias: 'd', type: 'switch' }),
      ],
      { psipred_a: '1.5', psipred_b: 'abc', psipred_c: 'medium', psipred_d: 'maybe' },
      { rejectUnknown: true },
    );
    expect(problems.map((p) => p.field)).toEqual(['psipred_a', 'psipred_b', 'psipred_c', 'psipred_d']);
  });

  it('keeps punctuation as data but refuses a leading dash unless allowed', () => {
    const hostile = '; rm -rf /';
    const ok = resolveParameters([spec({})], { psipred_iterations: hostile }, { rejectUnknown: true });
    expect(ok.values.psipred_iterations).toBe(hostile);
    const dash = resolveParameters([spec({})], { psipred_iterations: '-rf' }, { rejectUnknown: true });
    expect(dash.problems[0]?.message).toMatch(/must not start with "-"/);
    const allowed = resolveParameters(
      [spec({ allowLeadingDash: true, type: 'integer' })],
      { psipred_iterations: '-5' },
      { rejectUnknown: true },
    );
    expect(allowed.values.psipred_iterations).toBe('-5');
  });

  it('reports unknown fields only when asked to', () => {
    expect(resolveParameters([], { other_x: '1' }, { rejectUnknown: true }).problems[0]?.field).toBe('other_x');
    expect(resolveParameters([], { other_x: '1' }, { rejectUnknown: false }).problems).toEqual([]);
  });
});
