import { checkJsonValue, schemaProblem } from './json-parameter.ts';

const schema = {
  type: 'object',
  properties: { threshold: { type: 'number', maximum: 1 }, labels: { type: 'array', items: { type: 'string' } } },
  required: ['threshold'],
};

describe('json parameter values', () => {
  it('accepts JSON text or a parsed value that fits the schema, as canonical JSON', () => {
    expect(checkJsonValue('{ "threshold": 0.5 }', schema)).toEqual({ text: '{"threshold":0.5}' });
    expect(checkJsonValue({ threshold: 1, labels: ['a'] }, schema)).toEqual({ text: '{"threshold":1,"labels":["a"]}' });
    expect(checkJsonValue('[1, 2]', null)).toEqual({ text: '[1,2]' });
  });

  it('names the failing path of a value that breaks the schema', () => {
    const answer = checkJsonValue({ threshold: 2, labels: ['a', 3] }, schema);
    expect(answer).toEqual({
      problems: expect.arrayContaining([
        { path: '/threshold', message: 'must be <= 1' },
        { path: '/labels/1', message: 'must be string' },
      ]),
    });
  });

  it('refuses text that is not JSON', () => {
    expect(checkJsonValue('{threshold: 1}', null)).toMatchObject({ problems: [{ path: '' }] });
  });

  it('tells a schema that cannot compile from one that can', () => {
    expect(schemaProblem(schema)).toBeNull();
    expect(schemaProblem({ type: 'objekt' })).toMatch(/type/);
  });
});
