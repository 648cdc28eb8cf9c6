import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/**
 * The SDK's gRPC retry interceptor, except that it schedules no retry that would start after the
 * call's deadline. The stock one keeps a timer for the next attempt even when the deadline (a
 * /readyz probe's 3 s) has passed; if the connection closes meanwhile, as on shutdown, that timer
 * throws "Channel has been shut down" as an uncaught exception.
 */
export function deadlineAwareRetryInterceptor(): Interceptor {
  const defaults = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    const deadline = options.deadline === undefined ? Infinity : new Date(options.deadline).getTime();
    // The interceptor asks the decider, then the delay, for the same attempt: compute the delay once.
    let nextDelayMs = 0;
    return makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => {
        nextDelayMs = defaults.delayFunction(attempt, status);
        return Date.now() + nextDelayMs < deadline && defaults.retryableDecider(attempt, status);
      },
      delayFunction: () => nextDelayMs,
    })(options, nextCall);
  };
}
