import { parseExecuteRequest } from './execute-request.ts';
import { OgcException } from './ogc-errors.ts';

describe('parseExecuteRequest', () => {
  it('takes literal and qualified parameter values, and the data as text, base64 or a link', () => {
    expect(parseExecuteRequest({ inputs: { a_n: 3, b_x: { value: 'y' }, input_data: 'hi' } })).toEqual({
      parameters: { a_n: 3, b_x: 'y' },
      data: Buffer.from('hi'),
      href: null,
    });
    const b64 = parseExecuteRequest({ inputs: { input_data: { value: 'AAEC', encoding: 'base64' } } });
    expect(b64.data).toEqual(Buffer.from([0, 1, 2]));
    expect(parseExecuteRequest({ inputs: { input_data: { href: 'https://x/y' } } }).href).toBe('https://x/y');
    expect(parseExecuteRequest({})).toEqual({ parameters: {}, data: null, href: null });
  });

  it.each([
    ['a body that is not an object', []],
    ['inputs that are not an object', { inputs: 'x' }],
    ['an array value', { inputs: { a: [1, 2] } }],
    ['an object without value', { inputs: { a: { v: 1 } } }],
    ['a data input of the wrong shape', { inputs: { input_data: 5 } }],
    ['an unknown encoding', { inputs: { input_data: { value: 'x', encoding: 'hex' } } }],
    ['an unknown response', { response: 'other' }],
  ])('refuses %s with a 400 invalid-parameter-value', (_what, body) => {
    let thrown: unknown;
    try {
      parseExecuteRequest(body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OgcException);
    expect((thrown as OgcException).status).toBe(400);
    expect((thrown as OgcException).type).toMatch(/invalid-parameter-value$/);
  });
});
