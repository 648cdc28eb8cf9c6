import { ApiCallError, describeApiError } from './api-client.ts';
import { EXIT } from './exit-codes.ts';

/** A command line that cannot be run as given: exit 2 with the command's help. */
export class UsageError extends Error {}

function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

/**
 * Runs a user command's body and turns what it throws into the documented exit codes:
 * usage errors (ours and node:util parseArgs's) 2, parameters the API refused (422) 2, other API errors 1.
 */
export async function runUserCommand(name: string, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      console.error(`aa ${name}: ${err.message}\n\n${help}`);
      return EXIT.usage;
    }
    if (err instanceof ApiCallError) {
      console.error(`aa ${name}: ${describeApiError(err)}`);
      return err.status === 422 ? EXIT.usage : EXIT.failed;
    }
    throw err;
  }
}
