import { Connection, type ConnectionOptions } from '@temporalio/client';
import { deadlineAwareRetryInterceptor } from './deadline-aware-retry.ts';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/** Records when each attempt starts: it sits inside the retry interceptor, so it sees every retry. */
function attemptRecorder(starts: number[]): Interceptor {
  return (options, nextCall) => {
    starts.push(Date.now());
    // grpc-js types nextCall's result as the interface, though it is the InterceptingCall itself.
    return nextCall(options) as ReturnType<Interceptor>;
  };
}

describe('deadlineAwareRetryInterceptor', () => {
  it('retries an unreachable server, but ends the call by its deadline with no attempt after it', async () => {
    const starts: number[] = [];
    // Port 1: nothing listens, so every attempt fails with UNAVAILABLE, which the SDK retries.
    const connection = Connection.lazy({
      address: '127.0.0.1:1',
      interceptors: [deadlineAwareRetryInterceptor(), attemptRecorder(starts)],
    });
    const deadline = Date.now() + 1000;
    try {
      await expect(
        connection.withDeadline(deadline, () => connection.workflowService.getSystemInfo({})),
      ).rejects.toThrow();
      const endedAt = Date.now();

      expect(starts.length).toBeGreaterThan(1);
      expect(Math.max(...starts)).toBeLessThanOrEqual(deadline);
      expect(endedAt).toBeLessThanOrEqual(deadline + 100);
    } finally {
      await connection.close();
    }
  });

  it('leaves no retry behind when the caller stops waiting at the deadline and closes the connection', async () => {
    const starts: number[] = [];
    const connection = Connection.lazy({
      address: '127.0.0.1:1',
      interceptors: [deadlineAwareRetryInterceptor(), attemptRecorder(starts)],
    });
    const deadline = Date.now() + 1000;
    // As /readyz does: give up at the deadline whatever the call is doing, then shut down.
    const call = connection
      .withDeadline(deadline, () => connection.workflowService.getSystemInfo({}))
      .catch(() => 'failed');
    await Promise.race([call, new Promise((resolve) => setTimeout(resolve, deadline - Date.now()))]);
    await connection.close();
    const closedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(starts.filter((start) => start >= closedAt)).toEqual([]);
  });
});
