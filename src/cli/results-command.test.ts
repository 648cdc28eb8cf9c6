import { localNames } from './results-command.ts';

const file = (id: string, name: string, step: number | null) => ({
  id,
  name,
  kind: 'result' as const,
  task: null,
  step,
  size: 1,
  sha256: null,
  url: '/u',
});

describe('localNames', () => {
  it('keeps names inside the folder and tells same-named files of different steps apart', () => {
    expect(
      localNames([
        file('a', 'x.stderr', 0),
        file('b', 'x.stderr', 1),
        file('c', 'x.stderr', 1),
        file('d', '../../etc/passwd', 0),
        file('e', '..', 0),
      ]),
    ).toEqual(['x.stderr', 'step2-x.stderr', 'step2-c-x.stderr', 'passwd', '_']);
  });
});
