import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mapAaDump, type AaDocument } from '../aa-import/aa-dump-mapping.ts';
import { parseYaml } from '../catalog/config-format.ts';
import { TemplateError, TMP_MARKER } from '../domain/command-template.ts';
import { resolveParameters, type ResolvedParameters } from '../domain/parameter-values.ts';
import { PROJECT_ROOT } from '../project-paths.ts';
import { BUILTIN_VALIDATORS } from '../validators/builtin-validators.ts';
import { buildExecutionPlan } from './build-execution-plan.ts';
import { NO_SLURM_REQUESTS } from '../domain/slurm-job.ts';
import type { JobDefinition, TaskDefinition, TaskParameterDefinition } from './job-definition-repository.ts';

const ID = '6a1f0a3c-7a4e-11ee-9f7b-0242ac120002';
const OPTIONS = { heartbeatTimeoutSeconds: 10, scheduleToStartTimeoutSeconds: 60 };

function task(name: string, overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    name,
    backend: { name: 'local', taskQueue: 'backend.local', rootPath: null },
    executable: `/bin/${name}`,
    inputs: [],
    outputs: [],
    stdoutEnding: null,
    customExitCodes: [],
    customExitBehaviour: 'fail',
    incompleteOutputs: 'fail',
    retry: {},
    timeoutSeconds: null,
    parameters: [],
    environment: {},
    slurm: null,
    ...overrides,
  };
}

function parameter(taskName: string, alias: string, overrides: Partial<TaskParameterDefinition> = {}) {
  return {
    taskName,
    alias,
    flag: `-${alias}`,
    type: 'string',
    defaultValue: null,
    required: false,
    choices: null,
    allowLeadingDash: false,
    spacing: true,
    switchless: false,
    help: '',
    ...overrides,
  } satisfies TaskParameterDefinition;
}

function job(steps: JobDefinition['steps']): JobDefinition {
  return { id: 1, name: 'pipeline', runnable: true, retentionDays: null, validators: [], steps };
}

const plan = (definition: JobDefinition, values: ResolvedParameters = {}) =>
  buildExecutionPlan(definition, ID, values, OPTIONS);
const stageNames = (definition: JobDefinition) => plan(definition).stages.map((s) => s.map((p) => p.taskName));
const argvOf = (definition: TaskDefinition, values: ResolvedParameters = {}) =>
  plan(job([{ ordering: 0, task: definition }]), values).stages[0]![0]!.argv;

describe('buildExecutionPlan: stages from orderings (A_A rules)', () => {
  it('runs steps that share an ordering side by side, in the order given', () => {
    const steps = [0, 1, 1, 2].map((ordering, i) => ({ ordering, task: task(`t${i}`) }));
    expect(stageNames(job(steps))).toEqual([['t0'], ['t1', 't2'], ['t3']]);
  });

  it('numbers stages by ordering, closing gaps, whatever order the steps come in', () => {
    const steps = [10, 0, 5, 10].map((ordering, i) => ({ ordering, task: task(`t${i}`) }));
    const built = plan(job(steps));
    expect(built.stages.map((s) => s.map((p) => p.taskName))).toEqual([['t1'], ['t2'], ['t0', 't3']]);
    // Step indices keep the job's order; only the stages are sorted.
    expect(built.stages.flat().map((p) => [p.taskName, p.index, p.stage])).toEqual([
      ['t1', 1, 0],
      ['t2', 2, 1],
      ['t0', 0, 2],
      ['t3', 3, 2],
    ]);
  });

  it('plans no stages for a job without steps', () => {
    expect(plan(job([])).stages).toEqual([]);
  });

  it('plans the A_A dump fixture as [psiblast_seq] → [psipred, disopred2] → [psipass2]', async () => {
    const dump = parseYaml(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'aa-dump.yaml'), 'utf8'));
    const definition = jobFromAaDump(mapAaDump(dump, BUILTIN_VALIDATORS).doc, 'psipred');
    const specs = definition.steps.flatMap((s) => s.task.parameters);
    const { values, problems } = resolveParameters(specs, { psipass2_thresh: '0.5' }, { rejectUnknown: true });
    expect(problems).toEqual([]);
    const built = plan(definition, values);
    expect(built.stages.map((s) => s.map((p) => p.taskName))).toEqual([
      ['psiblast_seq'],
      ['psipred', 'disopred2'],
      ['psipass2'],
    ]);
    const [psipred, disopred2] = built.stages[1]!;
    expect(disopred2!.argv).toEqual(['/opt/disopred/bin/disopred2', ID, `${ID}.mtx`, '/opt/disopred/data/', '5']);
    // A_A's custom_exit_status '3,500': 500 is no exit code, so the import kept 3.
    expect(disopred2).toMatchObject({ customExitCodes: [3], environment: { LC_ALL: 'C' } });
    expect(psipred!.stdoutName).toBe(`${ID}.ss`);
    expect(built.stages[2]![0]!.argv.slice(0, 4)).toEqual([
      '/opt/psipred/bin/psipass2',
      '-v',
      '-t0.5',
      '/opt/psipred/data/weights_p2.dat',
    ]);
  });
});

describe('buildExecutionPlan: each step', () => {
  it('freezes the task, its backend, the run options and the default retry policy', () => {
    const definition = task('tool', {
      backend: { name: 'gpu', taskQueue: 'backend.gpu', rootPath: '/scratch' },
      inputs: ['.in'],
      outputs: ['.out', '.log'],
      customExitCodes: [7],
      customExitBehaviour: 'terminate',
      incompleteOutputs: 'continue',
      timeoutSeconds: 90,
      environment: { LC_ALL: 'C' },
    });
    const built = plan(job([{ ordering: 3, task: definition }]));
    expect(built).toMatchObject({ submissionId: ID, jobName: 'pipeline', ...OPTIONS });
    expect(built.stages[0]![0]).toEqual({
      index: 0,
      stage: 0,
      taskName: 'tool',
      backend: 'gpu',
      taskQueue: 'backend.gpu',
      argv: ['/bin/tool'],
      environment: { LC_ALL: 'C' },
      inputEndings: ['.in'],
      outputEndings: ['.out', '.log'],
      stdoutName: `${ID}.stdout`,
      customExitCodes: [7],
      customExitBehaviour: 'terminate',
      incompleteOutputs: 'continue',
      retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
      timeoutSeconds: 90,
      rootPath: '/scratch',
      name: 'tool',
      parents: [],
      ancestors: [],
      limits: { cpuSeconds: null, memoryBytes: null, processes: null, openFiles: null, outputBytes: null },
    });
    expect(built.graph).toBe(1);
  });

  it("lets the task's retry settings override the defaults one by one", () => {
    const definition = task('tool', { retry: { maximumAttempts: 4, retryableExitCodes: [75] } });
    expect(plan(job([{ ordering: 0, task: definition }])).stages[0]![0]!.retry).toEqual({
      maximumAttempts: 4,
      initialIntervalSeconds: 1,
      backoffCoefficient: 2,
      retryableExitCodes: [75],
    });
  });

  it("freezes a task's Slurm requests, and plans of tasks without any carry none", () => {
    const slurm = { ...NO_SLURM_REQUESTS, cpus: 2, memoryMiB: 512, partition: 'short' };
    const planned = plan(
      job([
        { ordering: 0, task: task('a', { slurm }) },
        { ordering: 1, task: task('b') },
      ]),
    );
    expect(planned.stages[0]![0]!.slurm).toEqual(slurm);
    expect(planned.stages[1]![0]).not.toHaveProperty('slurm');
  });

  it.each([
    [null, `${ID}.stdout`],
    ['.out', `${ID}.out`],
    ['out', `${ID}.out`],
    ['..ss', `${ID}.ss`],
    ['...', `${ID}.stdout`],
  ])('names stdout from the ending %p as %p', (stdoutEnding, expected) => {
    expect(plan(job([{ ordering: 0, task: task('t', { stdoutEnding }) }])).stages[0]![0]!.stdoutName).toBe(expected);
  });
});

describe('buildExecutionPlan: argv', () => {
  it('puts the upload and output names, the id and the work dir marker in place', () => {
    const definition = task('t', {
      executable: 'prog $I1 $I2 -o $O1 --id=$ID $TMP/x',
      inputs: ['.a', '.b'],
      outputs: ['.c'],
    });
    expect(argvOf(definition)).toEqual([
      'prog',
      `${ID}.a`,
      `${ID}.b`,
      '-o',
      `${ID}.c`,
      `--id=${ID}`,
      `${TMP_MARKER}/x`,
    ]);
  });

  it('expands each parameter by its flag, spacing, switchless and switch settings', () => {
    const params = [
      parameter('t', 'spaced'),
      parameter('t', 'joined', { spacing: false }),
      parameter('t', 'bare', { switchless: true }),
      parameter('t', 'noflag', { flag: '' }),
      parameter('t', 'on', { type: 'switch' }),
      parameter('t', 'off', { type: 'switch' }),
      parameter('t', 'absent'),
    ];
    const definition = task('t', { executable: 'prog $P1 $P2 $P3 $P4 $P5 $P6 $P7 end', parameters: params });
    const values = { t_spaced: '1', t_joined: '2', t_bare: '3', t_noflag: '4', t_on: 'true', t_off: 'false' };
    expect(argvOf(definition, values)).toEqual(['prog', '-spaced', '1', '-joined2', '3', '4', '-on', 'end']);
  });

  it('joins a parameter inside a longer token with a space, and never expands a value again', () => {
    const definition = task('t', {
      executable: '--opt=$P1 $P2',
      parameters: [parameter('t', 'a'), parameter('t', 'b')],
    });
    expect(argvOf(definition, { t_a: '5', t_b: '$P1 $ID' })).toEqual(['--opt=-a 5', '-b', '$P1 $ID']);
  });

  it('numbers $P without VALUE parameters, which fill $VALUE instead', () => {
    const params = [parameter('t', 'first'), parameter('t', 'threshold', { flag: 'VALUE' }), parameter('t', 'second')];
    const definition = task('t', { executable: 'prog $P1 $P2 $VALUE', parameters: params });
    expect(argvOf(definition, { t_first: '1', t_threshold: '0.5', t_second: '2' })).toEqual([
      'prog',
      '-first',
      '1',
      '-second',
      '2',
      '0.5',
    ]);
  });

  it('leaves $VALUE empty without a value, or when the VALUE parameter is a switch', () => {
    const optional = task('t', { executable: 'prog $VALUE', parameters: [parameter('t', 'v', { flag: 'VALUE' })] });
    expect(argvOf(optional, {})).toEqual(['prog']);
    const switched = task('t', {
      executable: 'prog $VALUE',
      parameters: [parameter('t', 'v', { flag: 'VALUE', type: 'switch' })],
    });
    expect(argvOf(switched, { t_v: 'true' })).toEqual(['prog']);
  });

  it('keeps quoted text as one argument', () => {
    expect(argvOf(task('t', { executable: `prog 'a b' "c \\"d\\"" e\\ f` }))).toEqual(['prog', 'a b', 'c "d"', 'e f']);
  });

  it('throws a TemplateError for a placeholder that refers to nothing, or an empty command', () => {
    expect(() => argvOf(task('t', { executable: 'prog $I1' }))).toThrow(TemplateError);
    expect(() => argvOf(task('t', { executable: 'prog $P1' }))).toThrow(/\$P1 refers to nothing/);
    expect(() =>
      argvOf(task('t', { executable: '$VALUE', parameters: [parameter('t', 'v', { flag: 'VALUE' })] })),
    ).toThrow(/the executable is empty/);
  });
});

/** The job as the database would hand it over after importing the dump. */
function jobFromAaDump(doc: AaDocument, name: string): JobDefinition {
  const entry = doc.jobs.find((j) => j.name === name)!;
  const backends = new Map(doc.backends.map((b) => [b.name, b]));
  const tasks = new Map(doc.tasks.map((t) => [t.name, t]));
  const steps = entry.steps.map(({ ordering, task: taskName }) => {
    const t = tasks.get(taskName)!;
    const backend = backends.get(t.backend)!;
    const { maximumIntervalSeconds, ...retry } = t.retry;
    return {
      ordering,
      task: {
        name: t.name,
        backend: {
          name: backend.name,
          taskQueue: backend.taskQueue ?? `backend.${backend.name}`,
          rootPath: backend.rootPath,
        },
        executable: t.executable,
        inputs: t.inputs,
        outputs: t.outputs,
        stdoutEnding: t.stdout,
        customExitCodes: t.customExitCodes,
        customExitBehaviour: t.customExitBehaviour,
        incompleteOutputs: t.incompleteOutputs,
        retry: maximumIntervalSeconds === null ? retry : { ...retry, maximumIntervalSeconds },
        timeoutSeconds: t.timeoutSeconds,
        parameters: t.parameters.map((p) =>
          parameter(t.name, p.alias, {
            flag: p.flag,
            type: p.type,
            defaultValue: p.default,
            required: p.required,
            choices: p.choices,
            allowLeadingDash: p.allowLeadingDash,
            spacing: p.spacing,
            switchless: p.switchless,
          }),
        ),
        environment: t.environment,
        slurm: t.slurm,
      },
    };
  });
  return { id: 1, name, runnable: entry.runnable, retentionDays: null, validators: entry.validators, steps };
}

describe('buildExecutionPlan: the graph', () => {
  const steps = (...specs: [string, number, Partial<JobDefinition['steps'][number]>?][]) =>
    job(specs.map(([name, ordering, extra]) => ({ ordering, task: task(name), ...extra })));
  const graphOf = (definition: JobDefinition) =>
    plan(definition)
      .stages.flat()
      .map((s) => [s.name, s.parents, s.ancestors]);

  it('gives steps without after the whole previous ordering as parents, as stages did', () => {
    expect(graphOf(steps(['a', 0], ['b', 5], ['c', 5], ['d', 9]))).toEqual([
      ['a', [], []],
      ['b', [0], [0]],
      ['c', [0], [0]],
      ['d', [1, 2], [0, 1, 2]],
    ]);
  });

  it('names repeated tasks task, task-2, task-3 and keeps explicit names', () => {
    const names = plan(steps(['t', 0], ['t', 1, { name: 't-2' }], ['t', 2], ['t', 3]))
      .stages.flat()
      .map((s) => s.name);
    expect(names).toEqual(['t', 't-2', 't-3', 't-4']);
  });

  it('takes after over orderings, so a step can start before its stage-mates end', () => {
    const definition = steps(['a', 0], ['slow', 1], ['fast', 1], ['after-fast', 2, { after: ['fast'] }]);
    expect(graphOf(definition)[3]).toEqual(['after-fast', [2], [0, 2]]);
  });

  it('fills parameter conditions with the submitted value and turns step names into indexes', () => {
    const definition = steps(
      ['sample', 0, { when: [{ parameter: 'sample_on', equals: 'true' }] }],
      [
        'check',
        1,
        {
          when: [{ step: 'sample', status: ['complete', 'skipped'] }],
          inputs: [{ from: ['sample/*.s', 'upload'], as: 'I1' }],
        },
      ],
    );
    const [sample, check] = buildExecutionPlan(definition, ID, { sample_on: 'false' }, OPTIONS).stages.flat();
    expect(sample!.when).toEqual([{ parameter: 'sample_on', equals: 'true', value: 'false' }]);
    expect(check!.when).toEqual([{ step: 0, status: ['complete', 'skipped'] }]);
    expect(check!.inputs).toEqual([{ from: [{ step: 0, glob: '*.s' }, { upload: true }], as: 'I1' }]);
  });
});
