/**
 * The one place a link's protection is built from a person's choices: the CLI's flags and the
 * app's connection panel both come here, so a client, a server and a serial port are secured
 * the same way whichever front end asked. No password: msp.py's plain link.
 */
import { VERSION_PLAIN, VERSION_SECURE } from '../../../shared/msp/index.ts';
import { legacyClientSecurity } from './channels/legacy-client-channel.ts';
import { plainSecurity } from './channels/plain-channel.ts';
import { passwordServerSecurity, type PasswordServerOptions } from './crypto/password-server-channel.ts';
import { v3ClientSecurity, type V3ClientOptions } from './crypto/v3/client-channel.ts';
import type { Security } from './secure-channel.ts';

export interface BuiltSecurity {
  security: Security;
  /** VERSION of plain packets: 1 like msp.py, 2 like msp-secure.py once a password is set. */
  version: number;
  /** A v3 client runs a handshake before the link may carry DATA. */
  handshake: boolean;
}

export interface ClientSecurityChoice {
  password?: string;
  /** 'legacy': msp-secure.py's weak scheme, only when a person asked for it. */
  scheme: 'v3' | 'legacy';
  /** How long the server may take to answer each handshake step (ms). */
  handshakeTimeoutMs: number;
  /** Tests tune the v3 handshake here; the app and the CLI leave it out. */
  v3?: Partial<Omit<V3ClientOptions, 'password' | 'timeoutMs'>>;
}

/** A TCP client's or a serial sender's protection. */
export function buildClientSecurity(choice: ClientSecurityChoice): BuiltSecurity {
  const { password } = choice;
  if (password === undefined) return { security: plainSecurity, version: VERSION_PLAIN, handshake: false };
  if (choice.scheme === 'legacy') return { security: legacyClientSecurity(password), version: VERSION_SECURE, handshake: false };
  return { security: v3ClientSecurity({ ...choice.v3, password, timeoutMs: choice.handshakeTimeoutMs }), version: VERSION_SECURE, handshake: true };
}

export interface ServerSecurityChoice {
  password?: string;
  /** Also accept msp-secure.py clients: only when a person asked for it (it leaks the password it uses). */
  allowLegacy: boolean;
  /** msp-secure.py clients' password, when it differs from the v3 one (it should). */
  legacyPassword?: string;
  /** Tests tune the server here (limiter, timeouts); the app and the CLI leave it out. */
  tuning?: Partial<Omit<PasswordServerOptions, 'password' | 'allowLegacy' | 'legacyPassword'>>;
}

/** A TCP server's or a serial responder's protection: each client session gets its own channel. */
export function buildServerSecurity(choice: ServerSecurityChoice): BuiltSecurity {
  const { password } = choice;
  if (password === undefined) return { security: plainSecurity, version: VERSION_PLAIN, handshake: false };
  const security = passwordServerSecurity({
    ...choice.tuning,
    password,
    allowLegacy: choice.allowLegacy,
    ...(choice.legacyPassword !== undefined ? { legacyPassword: choice.legacyPassword } : {}),
  });
  return { security, version: VERSION_SECURE, handshake: false };
}
