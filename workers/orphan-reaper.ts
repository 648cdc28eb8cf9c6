import { reapOrphanedGroups, registryDir } from '../activities/running-step-registry.ts';
import type { Logger } from '../src/logger.ts';

const REAP_INTERVAL_MS = 5000;

/**
 * Kills the process groups that workers on this host left behind when they died (SIGKILL, OOM):
 * once at start-up and then every few seconds, so a step retried elsewhere does not keep running
 * here too. Workers on other hosts cannot be reached; theirs are reaped when a worker starts there.
 */
export function startOrphanReaper(dataDir: string, logger: Logger): () => void {
  const dir = registryDir(dataDir);
  const reap = async () => {
    for (const group of await reapOrphanedGroups(dir)) {
      logger.warn({ ...group }, 'killed the process group of a step whose worker died');
    }
  };
  let running = reap().catch((err: unknown) => logger.error({ err }, 'orphan reaper failed'));
  const timer = setInterval(() => {
    running = running.then(reap).catch((err: unknown) => logger.error({ err }, 'orphan reaper failed'));
  }, REAP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
