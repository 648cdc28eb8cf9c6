// `node bench/bare/bare-worker.ts ADDRESS QUEUE`: bare Temporal for the overhead comparison, with SDK defaults.
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBareActivities } from './bare-activities.ts';

async function main(address: string, taskQueue: string): Promise<void> {
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: path.join(import.meta.dirname, 'bare-workflow.ts'),
      activities: createBareActivities(),
    });
    console.log('bare worker ready');
    await worker.run();
  } finally {
    await connection.close();
  }
}

const [address, queue] = process.argv.slice(2);
if (!address || !queue) {
  console.error('usage: bare-worker.ts TEMPORAL_ADDRESS TASK_QUEUE');
  process.exit(2);
}
main(address, queue).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
