import type { Supervisor } from './supervisor.ts';

export interface Chaos {
  kills: Record<string, number>;
  stop: () => Promise<void>;
}

/** SIGKILLs a random part every minMs..maxMs until stopped; each part's supervisor brings it back. */
export function startChaos(parts: Supervisor[], minMs: number, maxMs: number, say: (line: string) => void): Chaos {
  const kills: Record<string, number> = Object.fromEntries(parts.map((p) => [p.spec.name, 0]));
  let stopped = false;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (!stopped) {
      const delay = minMs + Math.random() * (maxMs - minMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
      const part = parts[Math.floor(Math.random() * parts.length)]!;
      if (part.kill()) {
        kills[part.spec.name]!++;
        say(`SIGKILL ${part.spec.name}`);
      }
    }
  })();
  return {
    kills,
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}
