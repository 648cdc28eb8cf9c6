import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface FuzzSummary {
  cases: number;
  casesByPhase: Record<string, number>;
  operations: number;
  serverErrors: number;
  /** `check on METHOD /path` → how many cases failed it. */
  failures: Record<string, number>;
  /** Engine errors, and suites that started but never finished (a crashed phase). */
  errors: string[];
}

interface Recorder {
  label: string;
  cases: Record<string, { value: { method: string; path: string } }>;
  checks: Record<string, { name: string; status: string }[]>;
  interactions: Record<string, { response?: { status_code: number } | null }>;
}

/**
 * The figures of one schemathesis run from its NDJSON event log: every case, check and response is
 * counted here rather than trusted to the exit code, which stays 0 when a phase's thread dies.
 */
export async function summarizeFuzzReport(file: string): Promise<FuzzSummary> {
  const summary: FuzzSummary = { cases: 0, casesByPhase: {}, operations: 0, serverErrors: 0, failures: {}, errors: [] };
  const operations = new Set<string>();
  const openSuites = new Map<string, string>();
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const [[kind, event]] = Object.entries(JSON.parse(line) as Record<string, Record<string, unknown>>) as [
      [string, Record<string, unknown>],
    ];
    if (kind === 'SuiteStarted') openSuites.set(event.id as string, event.phase as string);
    else if (kind === 'SuiteFinished') openSuites.delete(event.id as string);
    else if (kind === 'NonFatalError' || kind === 'FatalError')
      summary.errors.push(`${kind}: ${JSON.stringify(event).slice(0, 300)}`);
    else if (kind === 'ScenarioFinished') {
      const phase = event.phase as string;
      const recorder = event.recorder as Recorder;
      if (event.status === 'error') summary.errors.push(`${phase} phase: ${recorder.label} ended in an error`);
      for (const [id, { value }] of Object.entries(recorder.cases ?? {})) {
        summary.cases++;
        summary.casesByPhase[phase] = (summary.casesByPhase[phase] ?? 0) + 1;
        // Outside the stateful phase the label names the operation; its cases may probe other methods.
        const operation = phase === 'stateful' ? `${value.method} ${value.path}` : recorder.label;
        operations.add(operation);
        for (const check of recorder.checks?.[id] ?? []) {
          if (check.status !== 'failure') continue;
          const key = `${check.name} on ${operation}`;
          summary.failures[key] = (summary.failures[key] ?? 0) + 1;
        }
        if ((recorder.interactions?.[id]?.response?.status_code ?? 0) >= 500) summary.serverErrors++;
      }
    }
  }
  for (const phase of openSuites.values()) summary.errors.push(`the ${phase} phase never finished`);
  summary.operations = operations.size;
  return summary;
}

export function isClean(summary: FuzzSummary): boolean {
  return summary.serverErrors === 0 && Object.keys(summary.failures).length === 0 && summary.errors.length === 0;
}
