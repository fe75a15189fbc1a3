/**
 * The CLI with passwords and TLS, as a user runs it: real processes and real sockets, with
 * the CPace handshake bound to the TLS certificate when there is one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, parsePacket, utf8Encode } from '../../shared/msp/index.ts';
import { MSP_BIN, runCli, startCliServer, type CliRun, type CliServer } from '../helpers/cli.ts';
import { connectTo, listenOn } from '../helpers/net.ts';

let servers: CliServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
async function server(args: string[]): Promise<CliServer> {
  const s = await startCliServer(args);
  servers.push(s);
  return s;
}
const client = (port: number, ...args: string[]) => runCli(['--mode', 'client', '--port', String(port), ...args]);

describe('msp --password: MSP v3', () => {
  it('round trip: the client says the session is v3, the server decrypts each message', async () => {
    const s = await server(['--password', 'pw']);
    const run = await client(s.port, '--message', 'Hello MSP', '--repeat', '3', '--password', 'pw');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Secure session: MSP v3 (AES-256-GCM, keys from the password)');
    expect(run.stdout).toMatch(/^ACK 3\/3: OK/m);
    await s.waitFor((events) => events.filter((e) => e.event === 'packet' && e.type === 'SEALED_DATA').length === 3);
    expect(s.events.find((e) => e.event === 'secured')).toMatchObject({ lock: 'v3', transport: 'plain' });
    expect(s.events.find((e) => e.event === 'packet' && e.type === 'SEALED_DATA')).toMatchObject({ text: 'Hello MSP', encrypted: true, version: 3 });
  });

  it('a wrong password: one plain line on the client, a log line on the server', async () => {
    const s = await server(['--password', 'right']);
    const run = await client(s.port, '--message', 'x', '--password', 'wrong');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`Error: Wrong password: 127.0.0.1:${s.port} rejected it.\n`);
    await s.waitFor((events) => events.some((e) => e.event === 'rejected'));
    expect(s.events.find((e) => e.event === 'rejected')).toMatchObject({
      code: 'CRYPTO_ERR_WRONG_PASSWORD',
      message: expect.stringMatching(/^Wrong password from 127\.0\.0\.1:\d+/),
    });
  });

  it('against the original msp-secure.py (silent on HELLO): the error points to --legacy, and no message leaks', async () => {
    const reads: Buffer[] = [];
    // Like msp-secure.py: one recv = one packet; answers only DATA and ENCRYPTED_DATA.
    const original = await listenOn((socket) =>
      socket.on('data', (chunk) => {
        reads.push(chunk);
        const parsed = parsePacket(chunk);
        if (parsed.ok && (parsed.value.type === 0x10 || parsed.value.type === 0x20)) socket.write(Buffer.from('aa55000902114f4b9a', 'hex'));
      }),
    );
    const run = await client(original.port, '--message', 'Hello secret', '--password', 'pw', '--timeout', '1');
    await original.close();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: 127\.0\.0\.1:\d+ did not answer the secure handshake within 1 s\. It may not speak MSP v3 .*Nothing was sent\./);
    expect(run.stderr).not.toMatch(/\b(use|try|switch to) (legacy|--legacy)/i);
    expect(reads.map((r) => parsePacket(r).ok && (parsePacket(r) as { value: { type: number } }).value.type)).toEqual([PacketType.HELLO]);
    expect(Buffer.concat(reads).includes('Hello secret')).toBe(false);
  });

  it('against a server with no password: it says so', async () => {
    const s = await server([]);
    const run = await client(s.port, '--message', 'x', '--password', 'pw');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has no password set, so it cannot open a secure session/);
  });

  it('--secure still talks msp-secure.py\'s scheme with the public password, and both sides warn', async () => {
    const s = await server(['--secure']);
    const run = await client(s.port, '--message', 'demo', '--secure');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Warning: --secure uses a password published with msp-secure\.py; it protects nothing\.$/m);
    expect(s.stderr()).toMatch(/protects nothing/);
    await s.waitFor((events) => events.some((e) => e.event === 'packet' && e.type === 'ENCRYPTED_DATA'));
    expect(s.events.find((e) => e.event === 'secured')).toMatchObject({ lock: 'legacy-weak' });
  });

  it('by default (and with --no-legacy): msp-secure.py clients are refused, v3 clients served', async () => {
    const s = await server(['--password', 'pw']);
    const legacy = await client(s.port, '--message', 'x', '--password', 'pw', '--legacy', '--timeout', '0.5');
    expect(legacy.code).toBe(1);
    await s.waitFor((events) => events.some((e) => e.event === 'rejected' && e.code === 'CRYPTO_ERR_LEGACY_REFUSED'));
    expect((await client(s.port, '--message', 'x', '--password', 'pw')).code).toBe(0);
  });
});

describe('passwords kept off the process list: --password-file, MSP_PASSWORD, --ask-password', () => {
  const secret = 'F1le-Pa55-not-in-ps';
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'msp-pw-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const passwordFile = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  it('a server with --password-file and a client with MSP_PASSWORD make a v3 session; neither has the password on its command line', async () => {
    const s = await server(['--password-file', passwordFile('server.pw', `${secret}\n`)]);
    const cmdline = readFileSync(`/proc/${s.child.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--password-file');
    expect(cmdline).not.toContain(secret);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--message', 'from env'], 20_000, { MSP_PASSWORD: secret });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Secure session: MSP v3 (AES-256-GCM, keys from the password)');
    // And the file's password is really the one in use: a wrong one from the environment is refused.
    const wrong = await runCli(['--mode', 'client', '--port', String(s.port), '--message', 'x'], 20_000, { MSP_PASSWORD: 'not it' });
    expect(wrong.stderr).toMatch(/Wrong password/);
  });

  it('--ask-password reads it at a prompt on a terminal (a real pty), without echoing it', async () => {
    const s = await server(['--password-file', passwordFile('server.pw', secret)]);
    // socat gives the client a pty as its stdin, as a terminal would.
    const cli = `${process.execPath} ${MSP_BIN} --mode client --port ${s.port} --message typed --ask-password`;
    const child = spawn('socat', ['-', `EXEC:${cli},pty,setsid,ctty,stderr`], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    for (let waited = 0; !output.includes('Password: '); waited += 20) {
      if (waited > 20_000) throw new Error(`no prompt: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.stdin.write(`${secret}\r`);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toMatch(/Secure session: MSP v3/);
    expect(output).not.toContain(secret);
  });

  it('--ask-password without a terminal says what to use instead', async () => {
    const run = await runCli(['--mode', 'client', '--port', '9', '--message', 'x', '--ask-password']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--ask-password needs a terminal: use --password-file FILE or MSP_PASSWORD/);
  });

  it('--legacy on a server warns that the password can be recovered, and takes msp-secure.py clients\' own password from --legacy-password-file', async () => {
    const s = await server(['--password-file', passwordFile('v3.pw', secret), '--legacy', '--legacy-password-file', passwordFile('legacy.pw', 'old-py-pw\n')]);
    expect(s.stderr()).toMatch(/Warning: --legacy accepts msp-secure\.py clients\. Anyone who can connect can recover their password/);
    expect((await client(s.port, '--message', 'old', '--password', 'old-py-pw', '--legacy')).code).toBe(0);
    expect((await client(s.port, '--message', 'new', '--password', secret)).code).toBe(0);
    // The v3 password does not open the legacy door: it is not what msp-secure.py clients use here.
    expect((await client(s.port, '--message', 'x', '--password', secret, '--legacy', '--timeout', '1')).code).toBe(1);
  });
});

describe('passwords never appear in what the CLI prints', () => {
  it('not in any line of a server (text or JSON) or of clients with right, wrong, legacy or refused passwords', { timeout: 90_000 }, async () => {
    const secret = 'S3cret-Pa55-do-not-print';
    const wrong = 'Wr0ng-Pa55-do-not-print';
    const runs: CliRun[] = [];
    for (const json of [true, false]) {
      const s = json ? await jsonServer(['--password', secret, '--legacy']) : await textServer(['--password', secret, '--legacy']);
      const flags = json ? ['--json'] : [];
      runs.push(
        ...(await Promise.all([
          client(s.port, '--message', 'm', '--password', secret, ...flags),
          client(s.port, '--message', 'm', '--password', wrong, ...flags),
          client(s.port, '--message', 'm', '--password', secret, '--legacy', ...flags),
          client(s.port, '--message', 'm', '--password', wrong, '--legacy', ...flags),
        ])),
      );
      runs.push(await s.stopAfter(4)); // once all four clients are gone
    }
    runs.push(
      await runCli(['--mode', 'client', '--message', 'm', '--password', secret, '--port', 'nope']),
      await runCli(['--mode', 'server', '--password', secret, '--legacy', '--no-legacy']),
      await runCli(['--mode', 'client', '--message', 'm', '--password', secret, '--secure']),
      await runCli(['--mode', 'client', '--message', 'm', '--password', secret, '--port', '1', '--host', 'no-such-host.invalid']),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 2, 2, 2, 2]);
    expect(runs[4].stdout).toMatch(/"code":"CRYPTO_ERR_WRONG_PASSWORD"/); // the server did log the failures...
    expect(runs[9].stdout).toMatch(/Wrong password from/);
    for (const run of runs) {
      const all = run.stdout + run.stderr;
      for (const pw of [secret, wrong]) {
        expect(all).not.toContain(pw); // ...but never the password
        expect(all.replace(/[\s:]/g, '').toLowerCase()).not.toContain(Buffer.from(pw).toString('hex'));
      }
    }
  });
});

interface Printing {
  port: number;
  /** Waits for `clients` disconnections, stops the server, and gives all it printed. */
  stopAfter(clients: number): Promise<CliRun>;
}

async function jsonServer(args: string[]): Promise<Printing> {
  const s = await server(args);
  return {
    port: s.port,
    async stopAfter(clients) {
      await s.waitFor((events) => events.filter((e) => e.event === 'disconnected').length >= clients);
      const code = await s.stop();
      return { code, stdout: s.events.map((e) => JSON.stringify(e)).join('\n'), stderr: s.stderr() };
    },
  };
}

/** A server in text mode (startCliServer always adds --json). */
async function textServer(args: string[]): Promise<Printing> {
  const child = spawn(process.execPath, [MSP_BIN, '--mode', 'server', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const until = async (done: () => boolean) => {
    for (let waited = 0; !done(); waited += 20) {
      if (waited > 20_000 || child.exitCode !== null) throw new Error(`server: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(() => /Listening on .*:\d+\n/.test(stdout));
  return {
    port: Number(/Listening on .*:(\d+)\n/.exec(stdout)![1]),
    async stopAfter(clients) {
      await until(() => (stdout.match(/\] disconnected/g) ?? []).length >= clients);
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, stdout, stderr };
    },
  };
}

describe('msp with TLS', () => {
  it('the server prints its fingerprint; a client pinning it gets through, a wrong pin gets a clear error', async () => {
    const s = await server(['--tls', '--password', 'pw']);
    const tls = s.events.find((e) => e.event === 'tls');
    expect(tls).toMatchObject({ self_signed: true, fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    const fingerprint = String(tls!.fingerprint);
    const ok = await client(s.port, '--message', 'hi', '--password', 'pw', '--tls-fingerprint', fingerprint.replaceAll(':', ''));
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('Secure session: MSP v3 (AES-256-GCM, keys from the password), inside TLS 1.3');

    const other = fingerprint.startsWith('00') ? '11' + fingerprint.slice(2) : '00' + fingerprint.slice(2);
    const bad = await client(s.port, '--message', 'hi', '--tls-fingerprint', other);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: The TLS certificate of 127\.0\.0\.1:\d+ is not the pinned one: its SHA-256 fingerprint is /);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--mode', 'server', '--password', 'pw', '--legacy', '--no-legacy'], /Give either --legacy or --no-legacy, not both/],
    [['--mode', 'server', '--legacy'], /--legacy needs a password/],
    [['--mode', 'client', '--message', 'x', '--legacy-password-file', 'f'], /--legacy-password-file is for --mode server only/],
    [['--mode', 'server', '--password', 'pw', '--legacy-password-file', 'f'], /--legacy-password-file goes with --legacy/],
    [['--mode', 'server', '--password', 'pw', '--password-file', 'f'], /Give one of --password, --password-file, not several/],
    [['--mode', 'server', '--password-file', '/nonexistent/pw'], /Cannot read --password-file \/nonexistent\/pw: no such file/],
    [['--mode', 'client', '--message', 'x', '--legacy'], /--legacy needs --password/],
    [['--mode', 'server', '--no-legacy'], /--no-legacy only makes sense with --password/],
    [['--mode', 'server', '--tls-cert', 'a.pem'], /Give both --tls-cert and --tls-key/],
    [['--mode', 'client', '--message', 'x', '--tls-fingerprint', 'zz'], /--tls-fingerprint must be a SHA-256 fingerprint: 64 hex digits/],
    [['--mode', 'client', '--message', 'x', '--tls-key', 'k.pem'], /--tls-key is for --mode server only/],
  ])('bad flags %j: one line, exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('a quiet password server (the fast path) still refuses plaintext', () => {
  it('--quiet --password: plaintext DATA gets no ACK, and a v3 client still gets its ACKs', async () => {
    const server = await startCliServer(['--password', 'quiet secret', '--quiet']);
    try {
      const socket = await connectTo(server.port);
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('sneaky plaintext') }));
      // A v3 client on another connection proves the server has handled traffic since.
      const run = await runCli(['--mode', 'client', '--port', String(server.port), '--password', 'quiet secret', '--message', 'sealed', '--repeat', '2']);
      expect(run.code).toBe(0);
      const plainAck = encodePacket({ version: 2, type: PacketType.ACK, payload: utf8Encode('OK') });
      const plainAckV1 = encodePacket({ version: 1, type: PacketType.ACK, payload: utf8Encode('OK') });
      const got = Buffer.concat(received);
      expect(got.includes(Buffer.from(plainAck))).toBe(false);
      expect(got.includes(Buffer.from(plainAckV1))).toBe(false);
      socket.destroy();
    } finally {
      await server.stop();
    }
  });
});
