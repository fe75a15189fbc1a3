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

  it('client: get-file needs --receive-dir; put-file takes path (local only) and an optional name', () => {
    expect(parse('--mode', 'client', '--run', 'get-file', '--arg', 'name=a/report.txt', '--receive-dir', '/tmp/in')).toMatchObject({
      remote: { action: 'get', name: 'a/report.txt', receiveDir: '/tmp/in' },
      transfer: { sendFiles: [] },
    });
    expect(refusal('--mode', 'client', '--run', 'get-file', '--arg', 'name=report.txt')).toMatch(/--run get-file needs --receive-dir DIR/);
    expect(refusal('--mode', 'client', '--run', 'get-file', '--receive-dir', '/tmp')).toMatch(/"name" is missing/);
    expect(refusal('--mode', 'client', '--run', 'get-file', '--arg', 'name=a', '--arg', 'x=1', '--receive-dir', '/tmp')).toMatch(/there is no "x"/);
    expect(refusal('--mode', 'client', '--run', 'echo', '--receive-dir', '/tmp')).toMatch(/--receive-dir also goes with --run get-file/);
    expect(refusal('--mode', 'client', '--run', 'get-file', '--arg', 'name=a', '--receive-dir', '/tmp', '--overwrite')).toMatch(/--overwrite/);
    expect(parse('--mode', 'client', '--run', 'put-file', '--arg', 'path=/home/me/notes.txt')).toMatchObject({ remote: { action: 'put', path: '/home/me/notes.txt' } });
    expect(parse('--mode', 'client', '--run', 'put-file', '--arg', 'path=n.txt', '--arg', 'name=renamed.txt')).toMatchObject({
      remote: { action: 'put', path: 'n.txt', name: 'renamed.txt' },
    });
    expect(refusal('--mode', 'client', '--run', 'put-file', '--arg', 'name=x')).toMatch(/"path" is missing/);
    expect(refusal('--mode', 'client', '--run', 'put-file', '--arg', 'path=a', '--arg', 'path=b')).toMatch(/given twice/);
    expect(refusal('--mode', 'client', '--run', 'put-file', '--arg', 'path=a', '--send-file', 'b')).toMatch(/Give one of --send-file, --run/);
  });
});
