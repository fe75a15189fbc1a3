/**
 * What the connection panel asks for when a link is secured: a password (typed, or the one
 * main remembers), which scheme a client speaks, and TLS. The password travels renderer to
 * main only inside a `link.open` request; nothing main sends back ever contains it.
 */
import { z } from 'zod';
import { PASSWORD_MAX } from '../limits.ts';

/** The lock a user sees (the same values as the link layer's SecurityLock). */
export type SecurityLock = 'none' | 'legacy-weak' | 'v3' | 'tls';

/** A password typed now (kept by main only when `remember`), the remembered one, or none. */
export const passwordChoiceSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('none') }),
  z.strictObject({
    source: z.literal('typed'),
    value: z.string().min(1, 'Type a password, or choose no password.').max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters.`),
    remember: z.boolean().default(false),
  }),
  z.strictObject({ source: z.literal('remembered') }),
]);

/** SHA-256 certificate fingerprint: 32 bytes in hex, colons and spaces optional. */
export const fingerprintSchema = z
  .string()
  .transform((text) => text.replace(/[\s:]/g, '').toUpperCase())
  .refine((hex) => /^[0-9A-F]{64}$/.test(hex), 'A SHA-256 fingerprint is 64 hex digits (colons optional).');

export const clientSecuritySchema = z.strictObject({
  password: passwordChoiceSchema.default({ source: 'none' }),
  /** v3 unless the user explicitly picks msp-secure.py's weak scheme. */
  scheme: z.enum(['v3', 'legacy']).default('v3'),
  /** TLS 1.3: pin this fingerprint, or (no fingerprint) trust the system's certificate store. */
  tls: z.strictObject({ fingerprint: fingerprintSchema.optional() }).optional(),
});

export const serverSecuritySchema = z.strictObject({
  password: passwordChoiceSchema.default({ source: 'none' }),
  /**
   * With a password: also accept msp-secure.py clients. Off unless the user ticks it (the CLI's
   * --legacy): anyone who can connect can recover a password that msp-secure.py's scheme uses.
   */
  allowLegacy: z.boolean().default(false),
  /** TLS 1.3 with a self-signed certificate made when the server starts. */
  tls: z.boolean().default(false),
});

export const forgetPasswordSchema = z.strictObject({ mode: z.enum(['client', 'server']) });

export type PasswordChoice = z.output<typeof passwordChoiceSchema>;
export type ClientSecurityInput = z.input<typeof clientSecuritySchema>;
export type ClientSecurity = z.output<typeof clientSecuritySchema>;
export type ServerSecurityInput = z.input<typeof serverSecuritySchema>;
export type ServerSecurity = z.output<typeof serverSecuritySchema>;

/** What the renderer may know about remembered passwords: whether there is one, never what it is. */
export interface SecretsInfo {
  /** false when the OS offers no encryption (safeStorage unavailable): nothing is remembered. */
  available: boolean;
  remembered: { client: boolean; server: boolean };
}

/** How a listening server protects its clients (shown in the summary and the status bar). */
export interface ServerSecuritySummary {
  password: boolean;
  allowLegacy: boolean;
  /** The self-signed certificate's SHA-256 fingerprint, for clients to pin. */
  tlsFingerprint?: string;
}
