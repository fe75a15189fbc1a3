/** The lock the status bar shows for the link as a whole. */
import type { SecurityLock } from '../../../../shared/ipc/security.ts';
import type { LinkStatus } from '../../../../shared/ipc/types.ts';

/**
 * A client: its session's lock. A server: what it demands of every client (a password
 * means v3, or legacy for msp-secure.py clients if accepted; the log shows which per packet).
 * A serial port: its session's lock once secured; until then a responder shows what it demands.
 */
export function linkLock(status: LinkStatus): SecurityLock | undefined {
  if (status.state === 'connected') return status.lock ?? 'none';
  if (status.state === 'listening') {
    const security = status.security;
    if (security?.password) return security.allowLegacy ? 'legacy-weak' : 'v3';
    return security?.tlsFingerprint ? 'tls' : 'none';
  }
  if (status.state === 'serial') {
    if (status.lock && status.lock !== 'none') return status.lock;
    if (status.security?.password) return status.security.allowLegacy ? 'legacy-weak' : 'v3';
    return status.lock ?? 'none';
  }
  return undefined;
}
