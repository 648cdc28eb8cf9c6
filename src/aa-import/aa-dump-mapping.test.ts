import { DomainError } from '../domain/domain-error.ts';
import { BUILTIN_VALIDATORS } from '../validators/builtin-validators.ts';
import { mapAaDump } from './aa-dump-mapping.ts';

const row = (model: string, pk: number, fields: Record<string, unknown>) => ({
  model: `analytics_automated.${model}`,
  pk,
  fields,
});
const backend = row('backend', 1, { name: 'local', queue_type: null, root_path: '/tmp/' });
const task = (pk: number, fields: Record<string, unknown>) =>
  row('task', pk, {
    backend: 1,
    name: `t${pk}`,
    in_glob: '.in',
    out_glob: '.out',
    stdout_glob: null,
    executable: '/bin/true',
    ...fields,
  });
const map = (rows: unknown[]) => mapAaDump(rows, BUILTIN_VALIDATORS);

describe('A_A dump mapping', () => {
  it.each([
    [3, 'Rscript'],
    [4, 'python3'],
  ])(
    'turns a task of a queue type with execution behaviour %d into a script task run by %s',
    (behaviour, interpreter) => {
      const { doc } = map([
        row('queuetype', 7, { name: 'code', execution_behaviour: behaviour }),
        row('backend', 1, { name: 'code', queue_type: 7, root_path: '/tmp/' }),
        task(1, { executable: 'print("$P1")' }),
      ]);
      expect(doc.tasks[0]).toMatchObject({ kind: 'script', executable: '', interpreter, script: 'print("$P1")' });
    },
  );

  it('strips the task prefix from rest_alias and maps bool_valued to a switch', () => {
    const { doc } = map([
      backend,
      task(1, { executable: 'prog $P1 $P2' }),
      row('parameter', 2, { task: 1, flag: '-v', default: 'FALSE', bool_valued: true, rest_alias: 't1_verbose' }),
      row('parameter', 1, {
        task: 1,
        flag: '-n',
        default: null,
        bool_valued: false,
        rest_alias: 't1_count',
        spacing: false,
      }),
    ]);
    expect(doc.tasks[0]!.parameters.map((p) => [p.alias, p.type, p.default, p.required, p.spacing])).toEqual([
      ['count', 'string', null, true, false],
      ['verbose', 'switch', 'false', false, true],
    ]);
  });

  it('puts VALUE parameters last, so $P numbers mean what they meant in A_A', () => {
    const { doc } = map([
      backend,
      task(1, { executable: 'prog $VALUE $P1' }),
      row('parameter', 1, { task: 1, flag: 'VALUE', default: '5', bool_valued: false, rest_alias: 't1_value' }),
      row('parameter', 2, { task: 1, flag: '-x', default: '1', bool_valued: false, rest_alias: 't1_x' }),
    ]);
    expect(doc.tasks[0]!.parameters.map((p) => p.flag)).toEqual(['-x', 'VALUE']);
  });

  it('splits glob lists, maps behaviour numbers and keeps valid exit codes', () => {
    const { doc, warnings } = map([
      backend,
      task(1, {
        in_glob: '.nndiso, .dnb,.diso',
        custom_exit_status: '123,500, x',
        custom_exit_behaviour: 0,
        incomplete_outputs_behaviour: 1,
      }),
    ]);
    expect(doc.tasks[0]).toMatchObject({
      inputs: ['.nndiso', '.dnb', '.diso'],
      customExitCodes: [123],
      customExitBehaviour: 'continue',
      incompleteOutputs: 'terminate',
    });
    expect(warnings.filter((w) => w.message.includes('dropped'))).toHaveLength(2);
  });

  it('skips runtime rows and users, reporting each', () => {
    const { skipped } = map([
      { model: 'auth.user', pk: 1, fields: { username: 'admin' } },
      row('submission', 9, {}),
      row('result', 3, {}),
      row('message', 4, {}),
      'not a row',
    ]);
    expect(skipped.map((s) => [s.model, s.pk])).toEqual([
      ['auth.user', '1'],
      ['analytics_automated.submission', '9'],
      ['analytics_automated.result', '3'],
      ['analytics_automated.message', '4'],
      ['(none)', null],
    ]);
  });

  it('keeps a job whose step lost its task, but not runnable', () => {
    const { doc, skipped, warnings } = map([
      backend,
      task(1, { executable: '/bin/echo $P4' }),
      row('job', 5, { name: 'j', runnable: true }),
      row('step', 6, { job: 5, task: 1, ordering: 0 }),
    ]);
    expect(doc.jobs).toEqual([{ name: 'j', runnable: false, description: '', steps: [], validators: [] }]);
    expect(skipped.map((s) => s.model)).toEqual(['analytics_automated.task', 'analytics_automated.step']);
    expect(warnings[0]!.message).toMatch(/not runnable/);
  });

  it('renames names that do not fit, keeping them unique', () => {
    const { doc } = map([backend, task(1, { name: 'run me' }), task(2, { name: 'run_me' })]);
    expect(doc.tasks.map((t) => t.name)).toEqual(['run_me', 'run_me_2']);
  });

  it('refuses a dump that is not a list', () => {
    expect(() => map({ model: 'x' } as unknown as unknown[])).toThrow(DomainError);
  });
});
