import { execa } from 'execa';

export function createBareActivities() {
  return {
    async runTrue(): Promise<number> {
      const result = await execa('true');
      return result.exitCode ?? 0;
    },
  };
}
