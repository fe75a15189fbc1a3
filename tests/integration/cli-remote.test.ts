/**
 * `msp` remote control end to end, as a user runs it: `--mode server --allow-commands FILE`
 * and `--mode client --list-commands` / `--run NAME --arg K=V`. The client's exit code is the
 * remote command's, or 1 with a message when refused; a bad commands file stops the server (2).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MSP_BIN, runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { commandsFolder } from '../helpers/remote.ts';

const servers: CliServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

function setup() {
  const folder = commandsFolder({
    version: 1,
    commands: [
      { name: 'echo', description: 'Prints the text.', argv: ['echo', '{text}'], params: [{ name: 'text', type: 'string', pattern: '[A-Za-z0-9 ]*', maxLength: 100 }] },
      { name: 'three', description: 'Exits 3.', argv: ['sh', '-c', 'echo err >&2; exit 3'] },
      { name: 'careful', description: 'Asks first.', argv: ['echo', 'yes'], confirm: true },
    ],
  });
  const passwordFile = join(folder.dir, 'password');
  writeFileSync(passwordFile, 'cli-remote-pw\n');
  return { ...folder, passwordFile };
}

// Each test starts several `msp` processes (about 1 s each, several on a loaded machine).
describe('msp remote control (CLI)', { timeout: 120_000 }, () => {
  it('lists and runs commands; the exit code is the command\'s; refusals exit 1 with the reason; all audited', async () => {
    const { file, dir, passwordFile } = setup();
    const server = await startCliServer(['--password-file', passwordFile, '--allow-commands', file]);
    servers.push(server);
    const client = (...args: string[]) => runCli(['--mode', 'client', '--port', String(server.port), '--password-file', passwordFile, ...args]);

    const listed = await client('--list-commands');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^echo {2}\(text: text matching \/\[A-Za-z0-9 \]\*\/, at most 100\)\n {4}Prints the text\./m);
    expect(listed.stdout).toMatch(/careful\n {4}Asks first\. .*asks the remote user first/);

    const echoed = await client('--run', 'echo', '--arg', 'text=hello cli');
    expect(echoed).toMatchObject({ code: 0 });
    expect(echoed.stdout).toMatch(/^hello cli$/m);
    // The server's --json names each sealed message by the TYPE inside it, as the session opened or sealed it.
    const sealed = server.events.filter((e) => e.event === 'packet' && e.type === 'SEALED_SERVICE');
    expect(sealed).toContainEqual(expect.objectContaining({ dir: 'in', inner_type: 'RC_RUN' }));
    expect(sealed).toContainEqual(expect.objectContaining({ dir: 'out', inner_type: 'RC_EXIT' }));
    expect(sealed.every((e) => typeof e.inner_type === 'string')).toBe(true);

    const three = await client('--run', 'three');
    expect(three.code).toBe(3);
    expect(three.stderr).toMatch(/^err$/m);

    const bad = await client('--run', 'echo', '--arg', 'text=$(reboot)');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Error: "text": does not match the allowed pattern .* \(REMOTE_ERR_BAD_ARGUMENT\)/);

    const careful = await client('--run', 'careful');
    expect(careful.code).toBe(1);
    expect(careful.stderr).toMatch(/started without --confirm-on-terminal/);

    // Without a password the client says why before asking.
    const plain = await runCli(['--mode', 'client', '--port', String(server.port), '--run', 'echo', '--arg', 'text=x']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/Remote control needs a password-authenticated session/);

    const audit = readFileSync(join(dir, 'remote-commands.audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.filter((e) => e.event === 'exit').map((e) => [e.command, e.exitCode])).toEqual([
      ['echo', 0],
      ['three', 3],
    ]);
    expect(audit.filter((e) => e.event === 'refused').map((e) => e.code)).toEqual(['REMOTE_ERR_BAD_ARGUMENT', 'REMOTE_ERR_NOT_CONFIRMED']);
    expect(server.events.some((e) => e.event === 'remote' && e.command === 'three' && e.exitCode === 3)).toBe(true);
  });

  it('--confirm-on-terminal asks on the server\'s terminal (a real pty): y runs it, n refuses it', async () => {
    const { file, passwordFile } = setup();
    // socat gives the server a pty as its terminal, as a person's would be.
    const cli = `${process.execPath} ${MSP_BIN} --mode server --port 0 --json --password-file ${passwordFile} --allow-commands ${file} --confirm-on-terminal`;
    const child = spawn('socat', ['-', `EXEC:${cli},pty,setsid,ctty,stderr`], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    const waitOutput = async (pattern: RegExp, from = 0) => {
      for (let waited = 0; !pattern.test(output.slice(from)); waited += 20) {
        if (waited > 20_000) throw new Error(`timed out waiting for ${pattern}: ${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitOutput(/"event":"listening"/);
      const port = Number(/"port":(\d+)/.exec(output)![1]);
      const client = () => runCli(['--mode', 'client', '--port', String(port), '--password-file', passwordFile, '--run', 'careful']);
      let mark = output.length;
      const yes = client();
      await waitOutput(/Allow 127\.0\.0\.1:\d+ to run careful \{\}\? \[y\/N\] /, mark);
      child.stdin.write('y\r');
      const ran = await yes;
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^yes$/m);
      mark = output.length;
      const no = client();
      await waitOutput(/\[y\/N\] /, mark);
      child.stdin.write('n\r');
      const refused = await no;
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/declined to run it\. \(REMOTE_ERR_NOT_CONFIRMED\)/);
    } finally {
      child.stdin.write('\x03'); // Ctrl+C on its terminal
      await once(child, 'exit');
    }
  });

  it('a server without remote control: the client says so and exits 1', async () => {
    const { passwordFile } = setup();
    const server = await startCliServer(['--password-file', passwordFile]);
    servers.push(server);
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--password-file', passwordFile, '--list-commands']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not offer remote control/);
  });

  it('a missing or invalid commands file, or no password, stops the server at start (exit 2, naming the field)', async () => {
    const { dir, passwordFile } = setup();
    const missing = await runCli(['--mode', 'server', '--port', '0', '--password-file', passwordFile, '--allow-commands', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the commands file .*nope\.json: no such file/);
    const invalid = commandsFolder({ version: 1, commands: [{ name: 'x', description: 'x', argv: ['sh', '-c', 'echo {t}'], params: [{ name: 't', type: 'enum', values: ['a'] }] }] });
    const bad = await runCli(['--mode', 'server', '--port', '0', '--password-file', passwordFile, '--allow-commands', invalid.file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/commands\[0\]\.argv\[2\]: a placeholder must be a whole argv element/);
    const noPassword = await runCli(['--mode', 'server', '--port', '0', '--allow-commands', invalid.file], 20_000, { MSP_PASSWORD: '' });
    expect(noPassword.code).toBe(2);
    expect(existsSync(join(invalid.dir, 'remote-commands.audit.jsonl'))).toBe(false);
  });
});
