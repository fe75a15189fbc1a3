import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Packets produced by the original msp.py / msp-secure.py (copied from the shared vectors). */
export interface Vectors {
  constants: Record<string, string | number>;
  valid: Array<
    | { type: number; version: number; payload: string; bytes: string }
    | {
        type: number;
        version: number;
        payload_repeat: { char: string; count: number };
        bytes_sha256: string;
        bytes_head: string;
        bytes_tail: string;
      }
  >;
  invalid: Array<{ name: string; bytes: string; original_verdict: string }>;
  encrypted: Array<{ password: string; plaintext: string; bytes: string; type: number; version: number }>;
  secure_server_ack: string;
  wrong_password: { bytes: string; encrypted_with: string; decrypt_with: string; original_verdict: string };
}

export const vectors: Vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/msp-original.json', import.meta.url)), 'utf8'),
);

export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
