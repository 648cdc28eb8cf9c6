// Imported on demand: the embedded PostgreSQL is a development dependency only.
export async function run(): Promise<number> {
  return (await import('../dev/run-dev.ts')).runDev();
}
