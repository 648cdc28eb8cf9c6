import { buildArgv, TemplateError, TMP_MARKER, tokenize, type TemplateValues } from './command-template.ts';

const base: TemplateValues = { parameters: [], inputNames: ['u1.input'], outputNames: ['u1.out'], value: '', id: 'u1' };

describe('tokenize', () => {
  it('splits on whitespace and honours quotes and escapes without expanding anything', () => {
    expect(tokenize(`sh -c 'exit 123'`)).toEqual(['sh', '-c', 'exit 123']);
    expect(tokenize(`echo "a \\"b\\"" c\\ d $HOME`)).toEqual(['echo', 'a "b"', 'c d', '$HOME']);
    expect(tokenize(`prog '' x`)).toEqual(['prog', '', 'x']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => tokenize(`sh -c 'oops`)).toThrow(TemplateError);
  });
});

describe('buildArgv', () => {
  it('builds the A_A documentation example as argv', () => {
    const argv = buildArgv('/usr/bin/example_binary $P1 -u 123 -la $P2 -input $I1 -out $O1', {
      ...base,
      parameters: [
        { flag: '-z', isSwitch: false, value: '12', spacing: true, switchless: false },
        { flag: '-lm', isSwitch: true, value: 'true', spacing: true, switchless: false },
      ],
    });
    expect(argv).toEqual([
      '/usr/bin/example_binary',
      '-z',
      '12',
      '-u',
      '123',
      '-la',
      '-lm',
      '-input',
      'u1.input',
      '-out',
      'u1.out',
    ]);
  });

  it('drops a switch that is off and joins a value without spacing', () => {
    const argv = buildArgv('prog $P1 $P2 $TMP $ID', {
      ...base,
      parameters: [
        { flag: '-v', isSwitch: true, value: 'false', spacing: true, switchless: false },
        { flag: '-t', isSwitch: false, value: '5', spacing: false, switchless: false },
      ],
    });
    expect(argv).toEqual(['prog', '-t5', TMP_MARKER, 'u1']);
  });

  it('passes a hostile value as one literal argument', () => {
    const argv = buildArgv('echo $P1', {
      ...base,
      parameters: [{ flag: '', isSwitch: false, value: '; rm -rf /', spacing: true, switchless: true }],
    });
    expect(argv).toEqual(['echo', '; rm -rf /']);
  });

  it('replaces $P10 as parameter ten, not $P1 followed by 0', () => {
    const parameters = Array.from({ length: 10 }, (_, n) => ({
      flag: '',
      isSwitch: false,
      value: `v${n + 1}`,
      spacing: true,
      switchless: true,
    }));
    expect(buildArgv('prog $P10 $P1', { ...base, parameters })).toEqual(['prog', 'v10', 'v1']);
  });

  it('never expands placeholders that arrive inside values', () => {
    const argv = buildArgv('prog --name=$P1 $VALUE', {
      ...base,
      value: '$ID',
      parameters: [{ flag: '', isSwitch: false, value: '$TMP', spacing: true, switchless: true }],
    });
    expect(argv).toEqual(['prog', '--name=$TMP', '$ID']);
  });

  it('refuses a placeholder that refers to nothing', () => {
    expect(() => buildArgv('prog $P2', base)).toThrow(/\$P2/);
    expect(() => buildArgv('prog $I3', base)).toThrow(/\$I3/);
  });
});
