import type { ParameterSpec } from '../domain/parameter-values.ts';
import type { JobDefinition, TaskDefinition } from './job-definition-repository.ts';
import { parameterSchema, toPublicJob } from './public-job-catalogue.ts';

const spec = (overrides: Partial<ParameterSpec>): ParameterSpec => ({
  taskName: 'align',
  alias: 'x',
  flag: '-x',
  type: 'string',
  defaultValue: null,
  required: false,
  choices: null,
  allowLeadingDash: false,
  ...overrides,
});

describe('public job catalogue', () => {
  it('types defaults as the API resolves them', () => {
    expect(parameterSchema(spec({ type: 'integer', defaultValue: '007' })).default).toBe(7);
    expect(parameterSchema(spec({ type: 'number', defaultValue: '1.50' })).default).toBe(1.5);
    expect(parameterSchema(spec({ type: 'switch', defaultValue: 'on' })).default).toBe(true);
    expect(parameterSchema(spec({ type: 'choice', choices: ['a', 'b'], defaultValue: 'b' }))).toMatchObject({
      type: 'string',
      enum: ['a', 'b'],
      default: 'b',
    });
  });

  it('leaves out a default the API would refuse, and the leading-dash pattern when dashes are allowed', () => {
    expect(parameterSchema(spec({ type: 'integer', defaultValue: 'many' }))).not.toHaveProperty('default');
    expect(parameterSchema(spec({ allowLeadingDash: true }))).not.toHaveProperty('pattern');
    expect(parameterSchema(spec({}))).toMatchObject({ pattern: '^(?!-)', maxLength: 4096 });
  });

  it('lists as required only what the caller must send, and needs input only when validators check it', () => {
    const task = {
      name: 'align',
      inputs: ['.fa'],
      parameters: [
        { ...spec({ alias: 'a', required: true }), spacing: true, switchless: false, help: 'first' },
        { ...spec({ alias: 'b', required: true, defaultValue: '1' }), spacing: true, switchless: false, help: '' },
      ],
    } as unknown as TaskDefinition;
    const job = { name: 'j', description: 'd', validators: ['none'], steps: [{ ordering: 0, task }] };
    const pub = toPublicJob(job as unknown as JobDefinition & { description: string }, [30], 100);
    expect(pub.parameters.required).toEqual(['align_a']);
    expect(pub.parameters.properties.align_a!.description).toBe('first');
    expect(pub.input).toEqual({
      field: 'input_data',
      required: false,
      endings: ['.fa'],
      validators: [],
      maxBytes: 100,
    });
    expect(pub.typicalRunSeconds).toBe(30);
  });
});
