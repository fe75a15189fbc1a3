/** What protects a CLI server or serial responder, from its flags, with the warnings a person must see. */
import { buildServerSecurity, type BuiltSecurity } from '../main/link/security-builder.ts';
import type { ServerConfig } from './args.ts';
import type { Printer } from './output.ts';

export function serverSecurityFromFlags(config: ServerConfig, print: Printer): BuiltSecurity {
  if (config.password !== undefined && config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  else if (config.password !== undefined && config.allowLegacy) {
    print.error(
      config.legacyPassword === undefined
        ? 'Warning: --legacy accepts msp-secure.py clients. Anyone who can connect can recover the password they use, ' +
            'and here that is your MSP v3 password too: give msp-secure.py clients their own with --legacy-password-file FILE.'
        : 'Warning: --legacy accepts msp-secure.py clients. Anyone who can connect can recover their password (--legacy-password-file).',
    );
  }
  return buildServerSecurity({
    ...(config.password !== undefined ? { password: config.password } : {}),
    allowLegacy: config.allowLegacy,
    ...(config.legacyPassword !== undefined ? { legacyPassword: config.legacyPassword } : {}),
  });
}
