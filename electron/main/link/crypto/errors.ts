/**
 * Security errors as data, like LinkError: a code to branch on and a sentence a person can
 * act on. They never contain a password or key material.
 */

import type { CryptoErrorCode } from '../../../../shared/errors/crypto.ts';

export type { CryptoErrorCode };

export interface CryptoError {
  code: CryptoErrorCode;
  message: string;
}

export const cryptoError = (code: CryptoErrorCode, message: string): CryptoError => ({ code, message });
