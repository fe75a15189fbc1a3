/** The remote-control flags (electron/cli/remote-args.ts) as args.ts parses them: what each mode accepts, and clear refusals. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../electron/cli/args.ts';

const parse = (...argv: string[]) => parseCommandLine(argv, {});
const refusal = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('remote-control flags', () => {
  it('server: --allow-commands with a password, the audit log beside the commands file by default', () => {
    expect(parse('--mode', 'server', '--password', 'pw', '--allow-commands', '/etc/msp/cmds.json')).toMatchObject({
      remote: { commandsFile: '/etc/msp/cmds.json', auditLog: '/etc/msp/cmds.audit.jsonl', confirmOnTerminal: false },
    });
    expect(parse('--mode', 'server', '--password', 'pw', '--allow-commands', 'c.json', '--audit-log', '/var/log/msp.jsonl')).toMatchObject({
      remote: { auditLog: '/var/log/msp.jsonl' },
    });
    expect(refusal('--mode', 'server', '--allow-commands', 'c.json')).toMatch(/needs a password of your own/);
    expect(refusal('--mode', 'server', '--secure', '--allow-commands', 'c.json')).toMatch(/not --secure's public one/);
    expect(refusal('--mode', 'server', '--password', 'pw', '--audit-log', 'x')).toMatch(/go with --allow-commands/);
    expect(refusal('--mode', 'server', '--password', 'pw', '--run', 'x')).toMatch(/for --mode client/);
  });

  it('client: --list-commands, or --run NAME with --arg KEY=VALUE (the value keeps every later "=")', () => {
    expect(parse('--mode', 'client', '--list-commands')).toMatchObject({ remote: { action: 'list' } });
    expect(parse('--mode', 'client', '--run', 'echo', '--arg', 'text=a=b; c', '--arg', 'n=1')).toMatchObject({
      remote: { action: 'run', command: 'echo', args: [['text', 'a=b; c'], ['n', '1']] },
    });
    expect(refusal('--mode', 'client', '--run', 'echo', '--arg', 'novalue')).toMatch(/--arg must be KEY=VALUE/);
    expect(refusal('--mode', 'client', '--arg', 'a=b', '--message', 'hi')).toMatch(/--arg goes with --run/);
    expect(refusal('--mode', 'client', '--run', 'echo', '--message', 'hi')).toMatch(/Give one of --message, --run/);
    expect(refusal('--mode', 'client', '--list-commands', '--run', 'echo')).toMatch(/either --list-commands or --run/);
    expect(refusal('--mode', 'client', '--allow-commands', 'c.json', '--message', 'x')).toMatch(/for --mode server/);
    expect(refusal('--mode', 'client')).toMatch(/--list-commands, --run NAME/);
  });
});
