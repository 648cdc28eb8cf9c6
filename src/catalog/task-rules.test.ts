import { TaskEntry } from './task-schemas.ts';
import { checkTaskRules, scriptSha256 } from './task-rules.ts';

const task = (fields: Record<string, unknown>) =>
  TaskEntry.parse({ name: 't', backend: 'b', executable: 'x', ...fields });
const params = (n: number) => Array.from({ length: n }, (_, i) => ({ alias: `p${i + 1}` }));

describe('task rules', () => {
  it('accepts placeholders that all exist, including two-digit ones', () => {
    const ok = task({
      executable: 'x $P1 $P10 -i $I1 -o $O2 $ID $TMP',
      parameters: params(10),
      inputs: ['.a'],
      outputs: ['.b', '.c'],
    });
    expect(checkTaskRules(ok)).toEqual([]);
  });

  it('reads $P10 as parameter 10, not as $P1 followed by 0', () => {
    expect(checkTaskRules(task({ executable: 'x $P10', parameters: params(9) }))).toEqual([
      { path: 'executable', message: '$P10 refers to parameter 10, but the task has 9' },
    ]);
  });

  it('refuses $P0 and accepts $VALUE with a VALUE parameter', () => {
    expect(checkTaskRules(task({ executable: 'x $P0', parameters: params(1) }))[0]?.path).toBe('executable');
    expect(checkTaskRules(task({ executable: 'x $VALUE', parameters: [{ alias: 'v', flag: 'VALUE' }] }))).toEqual([]);
  });

  it('checks defaults against their type', () => {
    const typed = (type: string, value: string, choices?: string[]) =>
      checkTaskRules(task({ parameters: [{ alias: 'a', type, default: value, choices: choices ?? null }] })).length;
    expect([
      typed('integer', '-4'),
      typed('number', '2.5e3'),
      typed('switch', 'true'),
      typed('choice', 'b', ['a', 'b']),
    ]).toEqual([0, 0, 0, 0]);
    expect([
      typed('integer', '4.5'),
      typed('number', ''),
      typed('switch', 'yes'),
      typed('choice', 'c', ['a', 'b']),
    ]).toEqual([1, 1, 1, 1]);
  });

  it('refuses repeated custom exit codes', () => {
    expect(checkTaskRules(task({ customExitCodes: [3, 3] }))).toEqual([
      { path: 'customExitCodes.1', message: 'duplicate exit code 3' },
    ]);
  });

  it('accepts a script task with an interpreter and a script, and no executable', () => {
    const script = 'print(1)\n';
    expect(
      checkTaskRules(
        task({ kind: 'script', executable: '', interpreter: 'python3', script, scriptSha256: scriptSha256(script) }),
      ),
    ).toEqual([]);
  });

  it('refuses a script task without interpreter or script, with an executable, or with a wrong sha256', () => {
    expect(checkTaskRules(task({ kind: 'script' })).map((v) => v.path)).toEqual([
      'executable',
      'interpreter',
      'script',
    ]);
    expect(
      checkTaskRules(
        task({ kind: 'script', executable: '', interpreter: 'sh', script: 'true', scriptSha256: '0'.repeat(64) }),
      ),
    ).toEqual([{ path: 'scriptSha256', message: 'does not match the script' }]);
  });

  it('refuses script fields on a command task and a blank executable', () => {
    expect(checkTaskRules(task({ executable: ' ', interpreter: 'sh', script: 'x' })).map((v) => v.path)).toEqual([
      'executable',
      'interpreter',
      'script',
    ]);
  });

  it('refuses a script over 1 MiB', () => {
    const parsed = TaskEntry.safeParse({
      name: 't',
      backend: 'b',
      kind: 'script',
      interpreter: 'sh',
      script: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(parsed.success).toBe(false);
  });
});
