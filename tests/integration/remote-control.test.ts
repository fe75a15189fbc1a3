/**
 * Remote control over real TCP (README "Remote control", docs/PROTOCOL.md): a password server
 * with a commands file, controllers with the right password, a wrong one, none, and
 * msp-secure.py's scheme. Every attack asserts that nothing ran: a marker file that a successful
 * injection would create must not exist.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PacketType, UnsupportedReason } from '../../shared/msp/index.ts';
import { encodeRun } from '../../shared/msp/remote-control.ts';
import { commandsFolder, connectController, runCollect, startRemoteServer, PASSWORD, type RemoteServer, type Controller } from '../helpers/remote.ts';
import { waitFor } from '../helpers/wait.ts';

const servers: RemoteServer[] = [];
const clients: Controller[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.session.close();
  for (const s of servers.splice(0)) await s.stop();
});

async function server(content: unknown, options: Parameters<typeof startRemoteServer>[1] = {}) {
  const folder = commandsFolder(content);
  const s = await startRemoteServer(folder.file, options);
  servers.push(s);
  return { ...s, dir: folder.dir };
}

async function client(...args: Parameters<typeof connectController>) {
  const c = await connectController(...args);
  clients.push(c);
  return c;
}

/** A port nothing listens on now (the OS picks it; closed again at once). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A process that no longer runs (gone, or a zombie waiting for a parent that is not ours to reap). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const echo = (pattern = '[A-Za-z0-9 ]*') => ({
  name: 'echo',
  description: 'Prints its text.',
  argv: ['echo', '{text}'],
  params: [{ name: 'text', type: 'string', pattern, maxLength: 200 }],
});

describe('remote control over TCP, MSP v3 with a password', () => {
  it('an allowed command runs: its output streams back, then its exit code', async () => {
    const s = await server({
      version: 1,
      commands: [echo(), { name: 'fail', description: 'Exits 3 after writing to stderr.', argv: ['sh', '-c', 'echo oops >&2; exit 3'] }],
    });
    const { controller } = await client(s.port);
    const listed = await controller.list(5000);
    expect(listed.ok && listed.value.map((c) => c.name)).toEqual(['echo', 'fail']);
    const ran = await runCollect(controller, 'echo', { text: 'hello remote' });
    expect(ran.started).toBe(true);
    expect(ran.stdout).toBe('hello remote\n');
    expect(ran.done).toMatchObject({ ok: true, value: { exitCode: 0, signalled: false, truncated: false, bytes: 13 } });
    const failed = await runCollect(controller, 'fail');
    expect(failed.stderr).toBe('oops\n');
    expect(failed.done).toMatchObject({ ok: true, value: { exitCode: 3 } });
  });

  it('an unknown command and bad parameters (pattern, range, enum, missing, extra) are refused, and nothing runs', async () => {
    const s = await server({
      version: 1,
      commands: [
        echo('[a-z]+'),
        {
          name: 'count',
          description: 'Sequence.',
          argv: ['seq', '{n}'],
          params: [{ name: 'n', type: 'integer', min: 1, max: 5 }],
        },
        { name: 'pick', description: 'Enum.', argv: ['echo', '{colour}'], params: [{ name: 'colour', type: 'enum', values: ['red', 'green'] }] },
      ],
    });
    const { controller } = await client(s.port);
    const refusal = async (command: string, args: Record<string, string>) => (await runCollect(controller, command, args)).done;
    expect(await refusal('rm', {})).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_UNKNOWN_COMMAND' } });
    expect(await refusal('echo', { text: 'UPPER' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/pattern/) } });
    expect(await refusal('echo', { text: 'a'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/longer than 200/) } });
    expect(await refusal('count', { n: '6' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/between 1 and 5/) } });
    expect(await refusal('count', { n: '1e3' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/whole number/) } });
    expect(await refusal('count', { n: '-0x1' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
    expect(await refusal('pick', { colour: 'blue' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/one of red, green/) } });
    expect(await refusal('echo', {})).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: 'Missing: text.' } });
    expect(await refusal('echo', { text: 'ok', extra: 'x' })).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/no parameter "extra"/) } });
    expect(s.audit.filter((e) => e.event === 'started')).toEqual([]);
    // And the good ones run.
    expect((await runCollect(controller, 'count', { n: '3' })).stdout).toBe('1\n2\n3\n');
  });

  it('shell metacharacters: refused by a strict pattern, or passed as ONE literal argument with nothing executed', async () => {
    const s = await server({
      version: 1,
      commands: [
        echo(),
        // The safe way to hand a value to a shell script: as $1, never inside the script text.
        { name: 'literal', description: 'Prints $1 as it is.', argv: ['sh', '-c', 'printf "%s|" "$@"', 'sh', '{text}'], params: [{ name: 'text', type: 'string', pattern: '[\\s\\S]*', maxLength: 200 }] },
      ],
    });
    const marker = join(s.dir, 'injected');
    const attacks = [`; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `| touch ${marker}`, `x\ntouch ${marker}`, `x && touch ${marker}`, `'; touch ${marker}; '`];
    const { controller } = await client(s.port);
    for (const attack of attacks) {
      expect((await runCollect(controller, 'echo', { text: attack })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
      const literal = await runCollect(controller, 'literal', { text: attack });
      expect(literal.done).toMatchObject({ ok: true, value: { exitCode: 0 } });
      expect(literal.stdout).toBe(`${attack}|`); // one argument, exactly as sent
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('file parameters: inside the folder only; .., absolute paths and symlinks leading out are refused', async () => {
    const { dir } = commandsFolder({});
    const shared = join(dir, 'shared');
    mkdirSync(join(shared, 'sub'), { recursive: true });
    writeFileSync(join(shared, 'sub', 'note.txt'), 'inside\n');
    writeFileSync(join(dir, 'secret.txt'), 'outside\n');
    symlinkSync(join(dir, 'secret.txt'), join(shared, 'escape.txt'));
    symlinkSync(dir, join(shared, 'up'));
    symlinkSync('sub/note.txt', join(shared, 'fine-link.txt'));
    const s = await server({
      version: 1,
      commands: [{ name: 'show', description: 'cat a file.', argv: ['cat', '{file}'], params: [{ name: 'file', type: 'file', folder: shared }] }],
      builtins: { files: { folder: shared, list: true } },
    });
    const { controller } = await client(s.port);
    expect((await runCollect(controller, 'show', { file: 'sub/note.txt' })).stdout).toBe('inside\n');
    expect((await runCollect(controller, 'show', { file: 'fine-link.txt' })).stdout).toBe('inside\n');
    for (const file of ['../secret.txt', 'sub/../../secret.txt', join(dir, 'secret.txt'), 'escape.txt', 'up/secret.txt', 'missing.txt', '..', '']) {
      const ran = await runCollect(controller, 'show', { file });
      expect(ran.done, file).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
      expect(ran.stdout).toBe('');
    }
    const listed = await runCollect(controller, 'list-files', { path: '.' });
    expect(listed.stdout).toBe('l escape.txt\nl fine-link.txt\nd sub\nl up\n');
    expect((await runCollect(controller, 'list-files', { path: 'up' })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
  });

  it('a timeout kills the whole process tree (the grandchild too), and the output cap holds', async () => {
    const s = await server({
      version: 1,
      commands: [
        { name: 'tree', description: 'Starts a background sleep, prints its pid, sleeps.', argv: ['sh', '-c', 'sleep 100 & echo $!; sleep 100'], timeoutSeconds: 1 },
        { name: 'flood', description: 'Endless output.', argv: ['yes', 'spam'], maxOutputBytes: 10000, timeoutSeconds: 30 },
      ],
    });
    const { controller } = await client(s.port);
    const tree = await runCollect(controller, 'tree');
    expect(tree.done).toMatchObject({ ok: true, value: { timedOut: true, signalled: true } });
    const grandchild = Number(tree.stdout.trim());
    expect(grandchild).toBeGreaterThan(1);
    await waitFor(() => processGone(grandchild), `the background sleep (pid ${grandchild}) to be gone`, 5000);

    const flood = await runCollect(controller, 'flood');
    expect(flood.stdout.length).toBe(10000);
    expect(flood.done).toMatchObject({ ok: true, value: { truncated: true, bytes: 10000, timedOut: false } });
  });

  it('cancel from the controller kills the process tree', async () => {
    const s = await server({
      version: 1,
      commands: [{ name: 'tree', description: 'Background sleep.', argv: ['sh', '-c', 'sleep 100 & echo $!; sleep 100'], timeoutSeconds: 60 }],
    });
    const { controller } = await client(s.port);
    let stdout = '';
    const run = controller.run('tree', [], { onOutput: (_s, bytes) => (stdout += Buffer.from(bytes).toString()) });
    await waitFor(() => stdout.includes('\n'), 'the pid of the background sleep');
    run.cancel();
    expect(await run.done).toMatchObject({ ok: true, value: { cancelled: true, signalled: true } });
    const grandchild = Number(stdout.trim());
    await waitFor(() => processGone(grandchild), `the background sleep (pid ${grandchild}) to be gone`, 5000);
    expect(s.audit.map((e) => e.event)).toEqual(['request', 'started', 'cancel', 'exit']);
  });

  it('plaintext, msp-secure.py and wrong-password clients cannot run anything', async () => {
    const { dir } = commandsFolder({});
    const marker = join(dir, 'ran');
    const s = await server({ version: 1, commands: [{ name: 'touch', description: 'Makes the marker.', argv: ['touch', marker] }] }, { allowLegacy: true });
    const run = encodeRun(1, { command: 'touch', args: [] });

    // Plaintext: the controller says why before it asks; a raw RC_RUN is refused like plaintext DATA.
    const plain = await client(s.port, null);
    expect(plain.controller.unavailable()).toMatchObject({ code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' });
    expect((await runCollect(plain.controller, 'touch')).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' } });
    plain.session.sendPacket({ version: 1, type: PacketType.RC_RUN, payload: run });

    // msp-secure.py's scheme (accepted for DATA here) carries no services.
    const legacy = await client(s.port, PASSWORD, true);
    expect(legacy.controller.unavailable()).toMatchObject({ code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' });
    expect(await legacy.session.sendMessage(new TextEncoder().encode('legacy DATA works'))).toMatchObject({ ok: true });
    legacy.session.sendPacket({ version: 2, type: PacketType.RC_RUN, payload: run });

    // Wrong password: the handshake fails; nothing can be sent.
    const wrong = await client(s.port, 'not-the-password');
    expect(await wrong.session.whenReady()).toMatchObject({ code: 'CRYPTO_ERR_WRONG_PASSWORD' });
    expect((await runCollect(wrong.controller, 'touch')).done).toMatchObject({ ok: false });

    // A sentinel: the right password runs a harmless command after all of the above were handled.
    const good = await client(s.port);
    expect((await good.controller.list(5000)).ok).toBe(true);
    // Sentinel: the server has refused both raw RC_RUNs (plaintext; not part of msp-secure.py's scheme).
    const refused = () => s.events.filter((e) => e.kind === 'session' && e.event.kind === 'packet' && e.event.dir === 'in' && e.event.rejected);
    await waitFor(() => refused().length >= 2, 'the server to refuse both raw RC_RUNs');
    expect(existsSync(marker)).toBe(false);
    expect(s.audit.filter((e) => e.event !== 'list')).toEqual([]);
  });

  it('a plain server offering remote control answers UNSUPPORTED "needs authentication" and runs nothing', async () => {
    const { dir } = commandsFolder({});
    const marker = join(dir, 'ran');
    const s = await server({ version: 1, commands: [{ name: 'touch', description: 'Makes the marker.', argv: ['touch', marker] }] }, { password: undefined });
    const plain = await client(s.port, null);
    const heard = new Promise((resolve) => plain.session.services.discovery.onUnsupported(resolve));
    plain.session.sendService(PacketType.RC_RUN, encodeRun(7, { command: 'touch', args: [] }));
    expect(await heard).toEqual({ type: PacketType.RC_RUN, reason: UnsupportedReason.NEEDS_AUTHENTICATION });
    expect(existsSync(marker)).toBe(false);
  });

  it('an authenticated but hostile peer: random bytes in every remote-control TYPE crash nothing and run nothing', async () => {
    const { dir } = commandsFolder({});
    const marker = join(dir, 'ran');
    const s = await server({ version: 1, commands: [{ name: 'touch', description: 'Makes the marker.', argv: ['touch', marker] }], runsPerMinute: 600 });
    const attacker = await client(s.port);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 400; i++) {
      const type = PacketType.RC_LIST_REQUEST + Math.floor(random() * 8);
      const bytes = Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      // Half of them look like a run request for "touch" with junk arguments.
      const payload = i % 2 ? bytes : encodeRun(i, { command: 'touch', args: [[String.fromCharCode(...bytes.slice(0, 8)), 'x']] });
      attacker.session.sendService(type === PacketType.RC_RUN || i % 2 === 0 ? PacketType.RC_RUN : type, payload);
    }
    // Sentinel: the same session still gets a well-formed answer after all of it.
    const listed = await attacker.controller.list(10_000);
    expect(listed.ok && listed.value.map((c) => c.name)).toEqual(['touch']);
    expect(existsSync(marker)).toBe(false);
    expect(s.audit.filter((e) => e.event === 'started')).toEqual([]);
  });

  it('workbench built-ins (when the file enables them): start a responder here, send it a message, stop it', async () => {
    const s = await server({ version: 1, builtins: { workbench: { sendMessage: true, servers: true } } });
    const { controller } = await client(s.port);
    const listed = await controller.list(5000);
    expect(listed.ok && listed.value.map((c) => c.name)).toEqual(['send-message', 'start-server', 'stop-server']);
    const port = await freePort();
    const started = await runCollect(controller, 'start-server', { bind: '127.0.0.1', port: String(port) });
    expect(started.stdout).toBe(`Listening on 127.0.0.1:${port}\n`);
    const sent = await runCollect(controller, 'send-message', { host: '127.0.0.1', port: String(port), text: 'hello; $(not a shell)' });
    expect(sent.stdout).toMatch(new RegExp(`^ACK from 127\\.0\\.0\\.1:${port} in [\\d.]+ ms\n$`));
    expect(sent.done).toMatchObject({ ok: true, value: { exitCode: 0 } });
    expect((await runCollect(controller, 'stop-server', { port: String(port) })).stdout).toBe(`Stopped the responder on port ${port}.\n`);
    const refused = await runCollect(controller, 'send-message', { host: '127.0.0.1', port: String(port), text: 'anyone?' });
    expect(refused.done).toMatchObject({ ok: true, value: { exitCode: 1 } });
    expect(refused.stderr).toMatch(/refused/i);
    expect((await runCollect(controller, 'start-server', { bind: '127.0.0.1', port: '80' })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
  });

  it('the audit log file records each attempt and its outcome, one JSON line each', async () => {
    const s = await server({ version: 1, commands: [echo()] });
    const { controller } = await client(s.port);
    await runCollect(controller, 'echo', { text: 'one' });
    await runCollect(controller, 'echo', { text: 'bad;' });
    await runCollect(controller, 'nope');
    const lines = readFileSync(s.auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.event, l.command, l.code ?? l.exitCode])).toEqual([
      ['request', 'echo', undefined],
      ['started', 'echo', undefined],
      ['exit', 'echo', 0],
      ['request', 'echo', undefined],
      ['refused', 'echo', 'REMOTE_ERR_BAD_ARGUMENT'],
      ['request', 'nope', undefined],
      ['refused', 'nope', 'REMOTE_ERR_UNKNOWN_COMMAND'],
    ]);
    for (const line of lines) {
      expect(line.peer).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(Date.parse(line.time)).toBeGreaterThan(0);
    }
    expect(lines[2]).toMatchObject({ args: { text: 'one' }, bytes: 4 });
  });

  it('the rate limit per peer address holds, across connections, and counts refused attempts and lists too', async () => {
    const s = await server({ version: 1, commands: [echo()], runsPerMinute: 3 });
    const first = await client(s.port);
    expect((await runCollect(first.controller, 'echo', { text: 'a' })).done.ok).toBe(true);
    expect((await runCollect(first.controller, 'echo', { text: 'bad;' })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
    const second = await client(s.port); // a new connection from the same address shares the budget
    expect((await runCollect(second.controller, 'echo', { text: 'c' })).done.ok).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect((await runCollect(second.controller, 'echo', { text: 'd' })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_RATE_LIMITED' } });
    }
    // Listing counts too (each costs a list and a log line).
    expect(await second.controller.list(5000)).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_RATE_LIMITED' } });
    expect(s.audit.filter((e) => e.code === 'REMOTE_ERR_RATE_LIMITED')).toHaveLength(4);
  });

  it('the concurrency cap refuses a run beyond it; confirm-first commands ask, and a "no" refuses', async () => {
    const asked: string[] = [];
    const s = await server(
      {
        version: 1,
        maxConcurrent: 1,
        commands: [
          { name: 'wait', description: 'Sleeps.', argv: ['sleep', '30'], timeoutSeconds: 60 },
          { name: 'careful', description: 'Asks first.', argv: ['echo', 'confirmed'], confirm: true },
        ],
      },
      { confirm: async (request) => (asked.push(request.command), asked.length === 1) },
    );
    const { controller } = await client(s.port);
    let started = false;
    const long = controller.run('wait', [], { onStarted: () => (started = true) });
    await waitFor(() => started, 'the first run to start');
    expect((await runCollect(controller, 'careful')).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BUSY' } });
    long.cancel();
    await long.done;
    const yes = await runCollect(controller, 'careful');
    expect(yes.stdout).toBe('confirmed\n');
    expect((await runCollect(controller, 'careful')).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_NOT_CONFIRMED' } });
    expect(asked).toEqual(['careful', 'careful']);
  });

  it('revoke: the peer\'s running command is stopped and its next request refused', async () => {
    const s = await server({ version: 1, commands: [{ name: 'wait', description: 'Sleeps.', argv: ['sleep', '30'], timeoutSeconds: 60 }, echo()] });
    const { controller } = await client(s.port);
    let started = false;
    const long = controller.run('wait', [], { onStarted: () => (started = true) });
    await waitFor(() => started, 'the run to start');
    expect(s.host.controllers()).toMatchObject([{ peer: expect.stringMatching(/^127\.0\.0\.1:/), running: 1 }]);
    s.host.revoke(s.host.controllers()[0].peer);
    expect(await long.done).toMatchObject({ ok: true, value: { cancelled: true } });
    expect((await runCollect(controller, 'echo', { text: 'again' })).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_REVOKED' } });
  });
});
