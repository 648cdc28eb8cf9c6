import { z } from '@hono/zod-openapi';
import { findTextProblem, invalidUtf8Offset, Text, textIssue, textProblem } from './well-formed-text.ts';

describe('well-formed text', () => {
  it('accepts any Unicode text, including paired surrogates and U+FFFD', () => {
    expect(textProblem('naïve 😀 \ufffd tab\there')).toBeNull();
  });

  it('refuses a NUL and an unpaired high or low surrogate', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\udcff')).toMatch(/unpaired surrogate/);
    expect(textProblem('x\ud800')).toMatch(/unpaired surrogate/);
  });

  it('names the first malformed key or value in parsed data by its dotted path', () => {
    expect(findTextProblem({ tasks: [{ name: 'ok' }, { environment: { A: 'b\u0000' } }] })?.path).toBe(
      'tasks.1.environment.A',
    );
    expect(findTextProblem({ jobs: { 'k\udcff': 1 } })).toEqual({
      path: 'jobs.k\udcff',
      message: expect.stringMatching(/^key /),
    });
    expect(findTextProblem({ a: ['x', 1, true, null] })).toBeNull();
  });

  it('gives the offset of the first byte that is not UTF-8', () => {
    expect(invalidUtf8Offset(Buffer.from('{"a":"é"}'))).toBeNull();
    expect(invalidUtf8Offset(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22]))).toBe(2);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xed, 0xb3, 0xbf]))).toBe(1);
  });

  it('marks the Text() issue so it is found inside records and unions', () => {
    const schema = z.object({
      env: z.record(Text(), Text()),
      value: z.union([Text().min(1), z.number()]),
    });
    const result = schema.safeParse({ env: { 'K\u0000': 'v' }, value: '\udcff' });
    expect(result.success).toBe(false);
    expect(textIssue(result.error!.issues)?.path).toMatch(/^env\.K/);
    const valueOnly = schema.safeParse({ env: {}, value: 'x\u0000' });
    expect(textIssue(valueOnly.error!.issues)).toEqual({ path: 'value', message: expect.stringMatching(/NUL/) });
    expect(schema.safeParse({ env: { K: 'v' }, value: 'ok' }).success).toBe(true);
  });
});
