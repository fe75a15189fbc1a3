/**
 * Validates a request against its schema and hands it to its handler. Anything that
 * does not pass (an unknown channel, a bad argument) is refused with an error, never
 * acted on; a handler that throws (a bug) becomes an error too, not a crash.
 */
import { z } from 'zod';
import { isRequestName, requestSchemas } from '../../../shared/ipc/contract.ts';
import { appError, fail, type Result } from '../../../shared/result.ts';
import type { RequestHandlers } from './handlers.ts';

export type RequestRouter = (channel: string, arg: unknown) => Promise<Result<unknown>>;

export function createRequestRouter(handlers: RequestHandlers): RequestRouter {
  return async (channel, arg) => {
    if (!isRequestName(channel)) return fail(appError('IPC_ERR_UNKNOWN_REQUEST', `There is no request called "${channel}".`));
    const parsed = requestSchemas[channel].safeParse(arg);
    if (!parsed.success) {
      return fail(appError('IPC_ERR_BAD_ARGUMENT', `${channel}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`));
    }
    const handler = handlers[channel] as (valid: unknown) => Result<unknown> | Promise<Result<unknown>>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      return fail(appError('APP_ERR_INTERNAL', `Something went wrong in the app: ${(error as Error).message ?? String(error)}`));
    }
  };
}
