// `node bench/summarize-profile.ts FILE.cpuprofile [N]`: the N functions with the most self time, and the packages they are in.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: summarize-profile.ts FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(await readFile(file, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const ms = self.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') continue;
  total += ms;
  const short = url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*?\/(src|activities|workers|workflows)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  const place = url.includes('node_modules/')
    ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
    : url
      ? url.startsWith('node:')
        ? 'node:'
        : 'ours'
      : functionName;
  byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
}
const show = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `busy ${total.toFixed(0)} ms\n-- by package\n${show(byPlace, 15)}\n-- by function (self)\n${show(byFunction, Number(top))}`,
);
