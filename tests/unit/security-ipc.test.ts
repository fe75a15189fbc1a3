/**
 * The security part of the IPC contract: main refuses malformed security choices before
 * acting, and no refusal repeats the password it was given.
 */
import { describe, expect, it } from 'vitest';
import { requestHandlers, type PlatformServices } from '../../electron/main/ipc/handlers.ts';
import { createRequestRouter } from '../../electron/main/ipc/router.ts';
import { ok } from '../../shared/result.ts';
import { linkConfigSchema } from '../../shared/ipc/schemas.ts';
import { recordedBackend } from '../helpers/backend.ts';

const services: PlatformServices = { copyText: async () => ok(null), openExternal: async () => ok(null) };
const SECRET = 'hunter2-the-secret';
const client = (security: unknown) => ({ mode: 'client', host: '127.0.0.1', port: 9009, security });
const server = (security: unknown) => ({ mode: 'server', bind: '127.0.0.1', port: 0, security });

describe('IPC: security choices are validated, passwords never echoed', () => {
  it.each([
    ['an empty typed password', client({ password: { source: 'typed', value: '' } }), /password/i],
    ['a password over 1024 characters', client({ password: { source: 'typed', value: SECRET.repeat(100) } }), /1024/],
    ['a password source that does not exist', client({ password: { source: 'keychain', value: SECRET } }), /source/],
    ['a password given with the remembered source', client({ password: { source: 'remembered', value: SECRET } }), /value/],
    ['a password that is not a string', client({ password: { source: 'typed', value: 1234 } }), /value/],
    ['an unknown scheme', client({ password: { source: 'typed', value: SECRET }, scheme: 'aes-ecb' }), /scheme/],
    ['a fingerprint that is not 32 bytes of hex', client({ tls: { fingerprint: 'AB:CD' } }), /fingerprint/i],
    ['a certificate file path (servers only make self-signed ones)', server({ tls: { cert: '/etc/ssl/x.pem' } }), /tls/],
    ['the client-only scheme at a server', server({ password: { source: 'typed', value: SECRET }, scheme: 'legacy' }), /scheme/],
    ['an extra key', client({ password: { source: 'typed', value: SECRET }, debugLogPassword: true }), /debugLogPassword/],
    ['forgetting an unknown name', undefined, /mode/],
  ])('refuses %s', async (_what, arg, mentions) => {
    const recorded = recordedBackend();
    const route = createRequestRouter(requestHandlers(recorded.backend, services));
    const result = arg === undefined ? await route('secrets.forget', { mode: 'everything' }) : await route('link.open', arg);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_ERR_BAD_ARGUMENT' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(mentions);
      expect(result.error.message).not.toContain(SECRET);
    }
    expect(recorded.events).toEqual([]);
    await recorded.backend.dispose();
  });

  it('fills in the safe defaults: v3 for a password, msp-secure.py\'s scheme refused by a server unless ticked, no TLS', () => {
    const parsedClient = linkConfigSchema.parse(client({ password: { source: 'typed', value: SECRET } }));
    expect(parsedClient).toMatchObject({ security: { scheme: 'v3', password: { remember: false } } });
    expect(linkConfigSchema.parse(server({}))).toMatchObject({ security: { password: { source: 'none' }, allowLegacy: false, tls: false } });
  });

  it('accepts a fingerprint as the CLI prints it or as copied, colons and case as they come', () => {
    const colons = 'ab:'.repeat(31) + 'ab';
    const parsed = linkConfigSchema.parse(client({ tls: { fingerprint: colons } }));
    expect(parsed.mode === 'client' && parsed.security?.tls?.fingerprint).toBe('AB'.repeat(32));
  });
});
