/**
 * Every request answers with a Result, never a thrown error: Electron passes only the
 * message of an error thrown across IPC, and a person needs the code too.
 */

/** An error a person can act on: a code to branch on and a sentence to show. */
export interface AppError {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = (code: string, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
});
