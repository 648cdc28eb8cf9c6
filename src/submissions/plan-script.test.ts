import { planScript, scriptFileName } from './plan-script.ts';

describe('planScript', () => {
  it('runs [interpreter, script file] and keeps parameters as typed data, never in the argv', () => {
    const hostile = `$(rm -rf /) "quoted" 'single'\nnext line`;
    const planned = planScript({ interpreter: 'python3', scriptSha256: 'ab'.repeat(32) }, [
      { alias: 'text', type: 'string', value: hostile },
      { alias: 'n', type: 'integer', value: '3' },
      { alias: 'x', type: 'number', value: '0.5' },
      { alias: 'fast', type: 'switch', value: 'false' },
      { alias: 'unset', type: 'string', value: null },
    ]);
    expect(planned.argv).toEqual(['python3', 'aa-script.py']);
    expect(planned.script).toEqual({
      interpreter: 'python3',
      sha256: 'ab'.repeat(32),
      fileName: 'aa-script.py',
      parameters: { text: hostile, n: 3, x: 0.5, fast: false, unset: null },
    });
  });

  it.each([
    ['python3', 'aa-script.py'],
    ['/usr/bin/Rscript', 'aa-script.R'],
    ['bash', 'aa-script.sh'],
    ['node', 'aa-script.js'],
    ['awk', 'aa-script'],
  ])('names the script for %s %s', (interpreter, name) => {
    expect(scriptFileName(interpreter)).toBe(name);
  });
});
