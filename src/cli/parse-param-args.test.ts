import { UsageError } from './command-errors.ts';
import { parseParamArgs } from './parse-param-args.ts';

describe('parseParamArgs', () => {
  it('turns key=value pairs into fields, keeping "=" inside values', () => {
    expect(parseParamArgs(['psipred_iterations=3', 'blast_expr=a=b', 'x_empty='])).toEqual({
      psipred_iterations: '3',
      blast_expr: 'a=b',
      x_empty: '',
    });
  });

  it('refuses a pair without a key or "=" as a usage error', () => {
    expect(() => parseParamArgs(['iterations'])).toThrow(UsageError);
    expect(() => parseParamArgs(['=3'])).toThrow('is not key=value');
  });

  it('refuses the same key twice', () => {
    expect(() => parseParamArgs(['a=1', 'a=2'])).toThrow('--param a is given twice');
  });
});
