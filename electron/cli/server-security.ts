/** What protects a CLI server or serial responder, from its flags, with the warnings a person must see. */
import { VERSION_PLAIN, VERSION_SECURE } from '../../shared/msp/index.ts';
import { passwordServerSecurity } from '../main/link/crypto/password-server-channel.ts';
import type { Security } from '../main/link/session.ts';
import type { ServerConfig } from './args.ts';
import type { Printer } from './output.ts';

export function serverSecurityFromFlags(config: ServerConfig, print: Printer): { security: Security; version: number } {
  if (config.password === undefined) return { security: { mode: 'none' }, version: VERSION_PLAIN };
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  else if (config.allowLegacy) {
    print.error(
      config.legacyPassword === undefined
        ? 'Warning: --legacy accepts msp-secure.py clients. Anyone who can connect can recover the password they use, ' +
            'and here that is your MSP v3 password too: give msp-secure.py clients their own with --legacy-password-file FILE.'
        : 'Warning: --legacy accepts msp-secure.py clients. Anyone who can connect can recover their password (--legacy-password-file).',
    );
  }
  const security = passwordServerSecurity({
    password: config.password,
    allowLegacy: config.allowLegacy,
    ...(config.legacyPassword !== undefined ? { legacyPassword: config.legacyPassword } : {}),
  });
  return { security, version: VERSION_SECURE };
}
