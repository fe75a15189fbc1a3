/**
 * tshark and tcpdump for the capture tests. Under CI=true a missing tool (or tcpdump without
 * the right to capture) makes its tests fail; elsewhere they are skipped, saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { findOnPath } from './find-on-path.ts';

/** tcpdump and getcap live in sbin, which a non-root PATH may lack. */
const SBIN = ['/usr/sbin', '/sbin'];


export const TSHARK = findOnPath('tshark', SBIN);
export const TCPDUMP = findOnPath('tcpdump', SBIN);
export const DISSECTOR = new URL('../../docs/wireshark/msp.lua', import.meta.url).pathname;

function skipUnless(ready: boolean, why: string): { skip: boolean; reason: string } {
  if (ready || process.env.CI === 'true') return { skip: false, reason: '' };
  return { skip: true, reason: ` [skipped: ${why}]` };
}

export const tsharkSkip = skipUnless(TSHARK !== undefined, 'tshark is not installed; apt-get install tshark');

/** tcpdump needs root or CAP_NET_RAW to capture on lo. */
export const canCapture = TCPDUMP !== undefined && (process.getuid?.() === 0 || hasRawCapability(TCPDUMP));
export const tcpdumpSkip = skipUnless(canCapture, 'tcpdump is missing or may not capture here (needs root or CAP_NET_RAW)');

function hasRawCapability(path: string): boolean {
  const getcap = findOnPath('getcap', SBIN);
  if (!getcap) return false;
  const out = spawnSync(getcap, [path], { encoding: 'utf8' });
  return /cap_net_raw/.test(out.stdout ?? '');
}

/** `tshark -X lua_script:msp.lua -r FILE -T fields -e ...`: one array of field values per frame that has MSP. */
export function tsharkFields(file: string, fields: string[], filter = 'msp'): string[][] {
  if (!TSHARK) throw new Error('tshark is required for the dissector tests but is not installed (apt-get install tshark).');
  const args = ['-X', `lua_script:${DISSECTOR}`, '-r', file, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=/t'];
  for (const field of fields) args.push('-e', field);
  // Running as root, tshark warns on stderr; HOME keeps it from writing a profile where the tests run.
  const out = execFileSync(TSHARK, args, { encoding: 'utf8', env: { ...process.env, HOME: process.env.HOME ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}
