/**
 * Turns the connection panel's security choices into what the link layer takes: the
 * password (typed, or the remembered one), the Session's `security` and VERSION, and TLS.
 * The password stops here: it goes into the handshake and, if the user asked,
 * into the SecretStore; nothing returned to the renderer carries it.
 */
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import type { SerialOpenRequest } from '../../../shared/ipc/serial.ts';
import type { ClientSecurity, PasswordChoice, ServerSecurity, ServerSecuritySummary } from '../../../shared/ipc/security.ts';
import { buildClientSecurity, buildServerSecurity } from '../link/security-builder.ts';
import type { Security } from '../link/secure-channel.ts';
import { selfSignedIdentity, type TlsClientOptions, type TlsIdentity } from '../link/tls.ts';
import type { SecretName, SecretStore } from './secret-store.ts';

/** The handshake timeout: the default in the app; tests lower it. */
export interface SecurityTuning {
  /** How long a v3 client waits for each handshake answer (ms). */
  handshakeTimeoutMs?: number;
}

export interface ClientLinkSecurity {
  security: Security;
  version: number;
  /** v3 runs a handshake before the link may carry DATA. */
  handshake: boolean;
  tls?: TlsClientOptions;
}

export interface ServerLinkSecurity {
  security: Security;
  version: number;
  tls?: TlsIdentity;
  summary: ServerSecuritySummary;
}

/** How long a v3 client waits for each handshake answer (a CPace step costs the server about a millisecond). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export async function clientLinkSecurity(
  choice: ClientSecurity | undefined,
  secrets: SecretStore,
  tuning: SecurityTuning = {},
): Promise<Result<ClientLinkSecurity>> {
  const tls = choice?.tls ? { ...(choice.tls.fingerprint ? { fingerprint: choice.tls.fingerprint } : {}) } : undefined;
  const password = await resolvePassword(choice?.password ?? { source: 'none' }, 'client', secrets);
  if (!password.ok) return password;
  const built = buildClientSecurity({
    ...(password.value !== undefined ? { password: password.value } : {}),
    scheme: choice?.scheme ?? 'v3',
    handshakeTimeoutMs: tuning.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
  });
  return ok({ ...built, ...(tls ? { tls } : {}) });
}

export async function serverLinkSecurity(
  choice: ServerSecurity | undefined,
  secrets: SecretStore,
  tuning: SecurityTuning = {},
): Promise<Result<ServerLinkSecurity>> {
  const password = await resolvePassword(choice?.password ?? { source: 'none' }, 'server', secrets);
  if (!password.ok) return password;
  const allowLegacy = choice?.allowLegacy ?? false;
  const tls = choice?.tls ? await selfSignedIdentity() : undefined;
  const summary: ServerSecuritySummary = {
    password: password.value !== undefined,
    allowLegacy: password.value !== undefined && allowLegacy,
    ...(tls ? { tlsFingerprint: tls.fingerprint } : {}),
  };
  const { security, version } = buildServerSecurity({
    ...(password.value !== undefined ? { password: password.value } : {}),
    allowLegacy,
  });
  return ok({ security, version, summary, ...(tls ? { tls } : {}) });
}

export interface SerialLinkSecurity {
  security: Security;
  version: number;
  /** A v3 sender runs a handshake before the port may carry DATA. */
  handshake: boolean;
  /** A responder: what it demands, for the status. */
  summary?: ServerSecuritySummary;
}

/**
 * A serial port's security: a sender as a TCP client, a responder as a TCP server, never
 * TLS. The remembered passwords are the TCP ones: a sender's is the client's, a responder's the server's.
 */
export async function serialLinkSecurity(
  request: SerialOpenRequest,
  secrets: SecretStore,
  tuning: SecurityTuning = {},
): Promise<Result<SerialLinkSecurity>> {
  const choice = request.security;
  if (request.role === 'sender') {
    const client = await clientLinkSecurity(choice && { password: choice.password, scheme: choice.scheme }, secrets, tuning);
    if (!client.ok) return client;
    const { security, version, handshake } = client.value;
    return ok({ security, version, handshake });
  }
  const server = await serverLinkSecurity(choice && { password: choice.password, allowLegacy: choice.allowLegacy, tls: false }, secrets, tuning);
  if (!server.ok) return server;
  const { security, version, summary } = server.value;
  return ok({ security, version, handshake: false, summary });
}

/** The password to use, remembering or forgetting it as the user chose. */
async function resolvePassword(choice: PasswordChoice, name: SecretName, secrets: SecretStore): Promise<Result<string | undefined>> {
  switch (choice.source) {
    case 'none':
      return ok(undefined);
    case 'remembered': {
      const remembered = await secrets.get(name);
      if (remembered === undefined) return fail(appError('APP_ERR_NO_REMEMBERED_PASSWORD', 'No password is remembered any more: type it again.'));
      return ok(remembered);
    }
    case 'typed':
      // Unticking "remember" forgets an older one too.
      if (choice.remember && secrets.available) await secrets.set(name, choice.value);
      else await secrets.delete(name);
      return ok(choice.value);
  }
}
