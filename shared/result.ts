/**
 * The one Result of the code base: every layer answers `{ ok: true, value } | { ok: false, error }`
 * instead of throwing. Errors are data (a code to branch on and a sentence to show), and
 * Electron passes only the message of an error thrown across IPC, so nothing relies on throw.
 */

/** An error a person can act on: a code to branch on and a sentence to show. */
export interface AppError {
  code: string;
  message: string;
}

/** `E` narrows the error where a layer knows its codes (MspError, LinkError, CryptoError...). */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** An AppError from its two parts, for `fail(appError(code, message))`. */
export const appError = (code: string, message: string): AppError => ({ code, message });
