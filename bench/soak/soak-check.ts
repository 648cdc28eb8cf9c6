import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { Submitted } from './soak-client.ts';

const ACTIVE = ['submitted', 'running'];

/** Our submissions PostgreSQL still holds as submitted or running. */
export async function activeCount(sql: postgres.Sql, run: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from submissions where name like ${`soak-${run}-%`} and status in ${sql(ACTIVE)}`;
  return row!.n;
}

/** Polls until none of ours is active or the bound passes; true when quiet. */
export async function waitForQuiescence(sql: postgres.Sql, run: string, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    if ((await activeCount(sql, run)) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Submission names stored more than once, and stored names the client never got an id for. */
export async function storedDuplicates(
  sql: postgres.Sql,
  run: string,
  submitted: Submitted[],
): Promise<{ duplicates: number; storedButRefused: number }> {
  const rows = await sql<{ name: string; n: number }[]>`
    select name, count(*)::int as n from submissions where name like ${`soak-${run}-%`} group by name`;
  const refused = new Set(submitted.filter((s) => s.id === null).map((s) => s.name));
  return {
    duplicates: rows.reduce((sum, r) => sum + Math.max(0, r.n - 1), 0),
    storedButRefused: rows.filter((r) => refused.has(r.name)).length,
  };
}

export interface Verdict {
  status: string;
  lastMessage: string;
  /** True when the result was downloaded through the API and its sha256 is the expected one. */
  checksumOk: boolean | null;
}

/** Reads one accepted submission through the API and, when complete, downloads and hashes its result. */
export async function verify(url: string, s: Submitted & { id: string }): Promise<Verdict> {
  const view = await retried(async () => {
    const res = await fetch(`${url}/api/v1/submissions/${s.id}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${s.id} answered ${res.status}`);
    return (await res.json()) as { status: string; lastMessage: string; files: { name: string; url: string }[] };
  });
  if (!view) return { status: 'lost', lastMessage: 'unknown to the API', checksumOk: null };
  if (view.status !== 'complete') return { status: view.status, lastMessage: view.lastMessage, checksumOk: null };
  const result = view.files.find((f) => f.name.endsWith('.upper'));
  if (!result) return { status: 'lost', lastMessage: 'complete without its result', checksumOk: null };
  const bytes = await retried(async () => {
    const res = await fetch(new URL(result.url, url));
    if (!res.ok) throw new Error(`GET ${result.url} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  });
  return {
    status: 'complete',
    lastMessage: view.lastMessage,
    checksumOk: createHash('sha256').update(bytes).digest('hex') === s.expected,
  };
}

async function retried<T>(read: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
