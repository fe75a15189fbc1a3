import { afterEach, describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, encodePacket, parsePacket, utf8Encode } from '../../shared/msp/index.ts';
import { legacyDecrypt, legacyEncrypt, legacyKey } from '../../electron/main/link/crypto/legacy.ts';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { connectTo, listenOn, readUntil } from '../helpers/net.ts';
import { fromHex, hexOf, vectors } from '../helpers/vectors.ts';

const ACK_V1 = 'aa55000901114f4b9a';
const ACK_V2 = vectors.secure_server_ack;
const hello = (version = 1) => encodePacket({ version, type: PacketType.DATA, payload: utf8Encode('Hello MSP') });

let server: CliServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const packetsIn = (s: CliServer) => s.events.filter((e) => e.event === 'packet' && e.dir === 'in');

describe('CLI server and client over 127.0.0.1', () => {
  it('client sends "Hello MSP" three times, each ACKed; the server prints each packet', async () => {
    server = await startCliServer();
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'Hello MSP', '--repeat', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
    expect(run.stdout).toMatch(/^ACK 1\/3: OK \([\d.]+ ms\)$/m);
    await server.waitFor((events) => packetsIn(server!).length === 3);
    expect(packetsIn(server)[0]).toMatchObject({ type: 'DATA', version: 1, text: 'Hello MSP', length: 16 });
  });

  it('--json client prints one JSON object per ACK', async () => {
    server = await startCliServer();
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'hi', '--repeat', '2', '--json']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.event, l.seq])).toEqual([['ack', 1], ['ack', 2]]);
  });

  it('encrypted with --password --legacy: the server decrypts and ACKs with version 2', async () => {
    server = await startCliServer(['--password', 'mypassword', '--legacy']);
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'Hi secret', '--password', 'mypassword', '--legacy']);
    expect(run.code).toBe(0);
    await server.waitFor(() => packetsIn(server!).length === 1);
    expect(packetsIn(server)[0]).toMatchObject({ type: 'ENCRYPTED_DATA', version: 2, text: 'Hi secret', encrypted: true });
    expect(server.events.some((e) => e.event === 'packet' && e.dir === 'out' && e.version === 2)).toBe(true);
  });

  it('with --legacy, a wrong password gets no ACK: the server closes the connection and the client says what that means', async () => {
    server = await startCliServer(['--password', 'right', '--legacy']);
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'x', '--password', 'wrong', '--legacy', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/closed\. With msp-secure\.py's scheme this usually means the password is wrong\./);
    await server.waitFor((events) => events.some((e) => e.event === 'rejected' && e.code === 'CRYPTO_ERR_LEGACY_DECRYPT'));
    expect(server.events.some((e) => e.event === 'packet' && e.dir === 'out')).toBe(false);
  });

  it('a password server refuses plaintext DATA: no ACK, a log line', async () => {
    server = await startCliServer(['--secure']);
    expect(server.stderr()).toMatch(/protects nothing/);
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'plain', '--timeout', '0.5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No ACK .* within 0\.5 s/);
    await server.waitFor((events) => events.some((e) => e.event === 'rejected'));
    expect(server.events.find((e) => e.event === 'rejected')).toMatchObject({
      code: 'CRYPTO_ERR_PLAINTEXT_REFUSED',
      type: 'DATA',
      text: 'plain',
      message: expect.stringMatching(/^Refused plaintext DATA from 127\.0\.0\.1:\d+: this server requires a password \(no ACK sent\)\.$/),
    });
  });

  it('serves many clients at once', async () => {
    server = await startCliServer();
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runCli(['--mode', 'client', '--port', String(server!.port), '--message', `client ${i}`, '--repeat', '5'])),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0));
    await server.waitFor(() => packetsIn(server!).length === 40);
  });

  it('1,000 junk bytes then 100 DATA packets in a single write: all 100 ACKed, in order', async () => {
    server = await startCliServer();
    const socket = await connectTo(server.port);
    const junk = Buffer.alloc(1000, 0x5a);
    const packets = Array.from({ length: 100 }, (_, i) => encodePacket({ version: 1, type: 0x10, payload: utf8Encode(`#${i}`) }));
    socket.write(Buffer.concat([junk, ...packets]));
    const acks = await readUntil(socket, (b) => b.length >= 900);
    expect(acks.length).toBe(900);
    expect(hexOf(acks)).toBe(ACK_V1.repeat(100));
    await server.waitFor(() => packetsIn(server!).length === 100);
    expect(packetsIn(server).map((e) => e.text)).toEqual(packets.map((_, i) => `#${i}`));
    expect(server.events.find((e) => e.event === 'skipped')).toMatchObject({ bytes: 1000 });
    socket.destroy();
  });

  it("answers the original's own packets with the original's ACK bytes", async () => {
    server = await startCliServer();
    const socket = await connectTo(server.port);
    socket.write(fromHex('aa550010011048656c6c6f204d535004'));
    expect(hexOf(await readUntil(socket, (b) => b.length >= 9))).toBe(ACK_V1);
    socket.destroy();
    await server.stop();

    server = await startCliServer(['--password', 'secret', '--legacy']);
    const secure = await connectTo(server.port);
    secure.write(fromHex(vectors.encrypted[0].bytes));
    expect(hexOf(await readUntil(secure, (b) => b.length >= 9))).toBe(ACK_V2);
    secure.destroy();
    await server.waitFor(() => packetsIn(server!).some((e) => e.text === vectors.encrypted[0].plaintext));
  });

  it('flags a frame with a wrong CRC, with the CRC it should have had, and sends no ACK for it', async () => {
    server = await startCliServer();
    const socket = await connectTo(server.port);
    socket.write(fromHex('aa55000a011063726339'));
    socket.write(hello());
    const got = await readUntil(socket, (b) => b.length >= 9);
    expect(hexOf(got)).toBe(ACK_V1);
    await server.waitFor((events) => events.some((e) => e.event === 'bad-frame'));
    expect(server.events.find((e) => e.event === 'bad-frame')).toMatchObject({ code: 'MSP_ERR_BAD_CRC', expected_crc: 0x38 });
    socket.destroy();
  });

  it('Ctrl+C stops the server cleanly with exit code 0', async () => {
    server = await startCliServer();
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.events.at(-1)).toMatchObject({ event: 'stopped' });
  });
});

describe('CLI client against an original-style server (one recv = one packet)', () => {
  /** Behaves like msp.py: each read must be exactly one packet; anything else is dropped with no answer. */
  async function originalStyleServer(password?: string) {
    const reads: Buffer[] = [];
    const key = password ? legacyKey(password) : undefined;
    const srv = await listenOn((socket) => {
      socket.on('data', (chunk) => {
        reads.push(chunk);
        const parsed = parsePacket(chunk, { requireUtf8: !key });
        if (!parsed.ok) return;
        if (parsed.value.type === PacketType.ENCRYPTED_DATA && key && !legacyDecrypt(key, parsed.value.payload).ok) return;
        socket.write(fromHex(key ? ACK_V2 : ACK_V1));
      });
    });
    return { ...srv, reads };
  }

  it('sends each packet in one write and waits for its ACK, so all 20 get through', async () => {
    const original = await originalStyleServer();
    const run = await runCli(['--mode', 'client', '--port', String(original.port), '--message', 'Hello MSP', '--repeat', '20']);
    expect(run.code).toBe(0);
    expect(original.reads).toHaveLength(20);
    for (const read of original.reads) expect(hexOf(read)).toBe(hexOf(hello()));
    await original.close();
  });

  it('exits as soon as the last ACK is in, even though the server never closes its side', async () => {
    const lingering = await listenOn((socket) => socket.on('data', () => socket.write(fromHex(ACK_V1))), { allowHalfOpen: true });
    const run = await runCli(['--mode', 'client', '--port', String(lingering.port), '--message', 'x', '--repeat', '2'], 5000);
    expect(run.code).toBe(0);
    await lingering.close();
  });

  it('the encrypted packet is what msp-secure.py expects: version 2, type 0x20, decryptable', async () => {
    const original = await originalStyleServer('mypassword');
    const run = await runCli(['--mode', 'client', '--port', String(original.port), '--message', 'Hi', '--password', 'mypassword', '--legacy']);
    expect(run.code).toBe(0);
    const parsed = parsePacket(original.reads[0]);
    expect(parsed.ok && parsed.value.version === 2 && parsed.value.type === 0x20).toBe(true);
    if (parsed.ok) {
      const plain = legacyDecrypt(legacyKey('mypassword'), parsed.value.payload);
      expect(plain.ok && Buffer.from(plain.value).toString()).toBe('Hi');
    }
    // And the IV is fresh each time: the same message never gives the same bytes.
    const again = legacyEncrypt(legacyKey('mypassword'), utf8Encode('Hi'));
    expect(hexOf(again)).not.toBe(hexOf(parsed.ok ? parsed.value.payload : new Uint8Array()));
    await original.close();
  });
});

describe('CLI client failures: one clear line and a non-zero exit', () => {
  it('refused', async () => {
    const closed = await listenOn(() => {});
    const port = closed.port;
    await closed.close();
    const run = await runCli(['--mode', 'client', '--port', String(port), '--message', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`Error: Connection refused by 127.0.0.1:${port}: nothing is listening there.\n`);
  });

  it('no ACK in time', async () => {
    const silent = await listenOn(() => {});
    const run = await runCli(['--mode', 'client', '--port', String(silent.port), '--message', 'x', '--timeout', '0.5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: No ACK from 127\.0\.0\.1:\d+ within 0\.5 s\.\n$/);
    await silent.close();
  });

  it('a bad reply', async () => {
    const rude = await listenOn((socket) => socket.on('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const run = await runCli(['--mode', 'client', '--port', String(rude.port), '--message', 'x', '--timeout', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: Bad reply from 127\.0\.0\.1:\d+: \d+ bytes that are not an MSP frame\n$/);
    await rude.close();
  });

  it('the server closes before the ACK', async () => {
    const hangup = await listenOn((socket) => socket.on('data', () => socket.destroy()));
    const run = await runCli(['--mode', 'client', '--port', String(hangup.port), '--message', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/closed|reset/i);
    await hangup.close();
  });

  it.each([
    [['--mode', 'client', '--message', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['--mode', 'client', '--message', 'x', '--port', '65536'], /--port must be between 0 and 65535/],
    [['--mode', 'client', '--port', '9009'], /needs --message/],
    [['--mode', 'client', '--message', 'x', '--host', 'no-such-host.invalid'], /Host not found/],
    [['--mode', 'dance'], /Unknown --mode "dance"/],
    [['--mode', 'server', '--port', 'abc'], /--port must be a whole number/],
  ])('bad input %j: one line, exit 2, no stack trace', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('CLI server under a junk flood (issue 9)', () => {
  it('--json server fed 1 MB of AA 55 FF FF prints under 1 MB in all, then still ACKs a DATA', async () => {
    server = await startCliServer();
    let printed = 0;
    server.child.stdout!.on('data', (d: Buffer) => (printed += d.length));
    const socket = await connectTo(server.port);
    const flood = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < flood.length; i += 4) flood.set([0xaa, 0x55, 0xff, 0xff], i);
    for (let i = 0; i < flood.length; i += 64 * 1024) socket.write(flood.subarray(i, i + 64 * 1024));
    // Each AA 55 FF FF near the end claims 64 KiB more: filler ends those claims, as for any framing.
    socket.write(Buffer.alloc(64 * 1024));
    socket.write(hello());
    const replies = await readUntil(socket, (b) => hexOf(b).endsWith(ACK_V1), 30_000);
    // Before the ACK: only "no such service" answers to claimed packets whose TYPE is a service's.
    const answers = new MspDecoder().push(replies).map((e) => (e.kind === 'packet' ? e.packet.type : e.kind));
    expect(answers.at(-1)).toBe(PacketType.ACK);
    expect(new Set(answers.slice(0, -1)).size <= 1 && answers.slice(0, -1).every((t) => t === PacketType.UNSUPPORTED)).toBe(true);
    await server.waitFor((events) => events.some((e) => e.event === 'packet' && e.text === 'Hello MSP'));
    // The filler's zeros complete a few of those claims with a matching CRC: real (if odd) packets.
    const claimed = packetsIn(server).filter((e) => e.text !== 'Hello MSP');
    const summaries = server.events.filter((e) => e.event === 'suppressed');
    const detailed = server.events.filter((e) => e.event === 'bad-frame' || e.event === 'skipped');
    expect(detailed.length).toBeLessThanOrEqual(8 * (claimed.length + 1));
    expect(detailed.find((e) => e.event === 'bad-frame')).toMatchObject({ code: 'MSP_ERR_BAD_CRC', length: 0xffff, hex: "AA55FFFF".repeat(8) });
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.length).toBeLessThanOrEqual(12 * (claimed.length + 1));
    // Every byte before the DATA is accounted for: in a packet, skipped one by one, or in a summary.
    const skipped = [...detailed, ...summaries].reduce((n, e) => n + Number(e.bytes ?? 0), 0);
    expect(skipped + claimed.reduce((n, e) => n + Number(e.length), 0)).toBe(flood.length + 64 * 1024);
    expect(printed).toBeLessThan(1024 * 1024);
    socket.destroy();
  });
});

describe('msp --mode client --list-services (docs/PROTOCOL.md, "Services")', () => {
  it('lists what our server offers, plain and inside an MSP v3 session, and sends no DATA', async () => {
    server = await startCliServer();
    const plain = await runCli(['--mode', 'client', '--port', String(server.port), '--list-services', '--json']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { event: 'service', id: 'messaging', version: 1, types: [0x10, 0x11] },
      { event: 'service', id: 'services', version: 1, types: [0x12, 0x13, 0x14] },
    ]);
    expect(packetsIn(server).filter((p) => p.type === 'DATA')).toEqual([]);
    await server.stop();

    server = await startCliServer(['--password', 'pw']);
    const sealed = await runCli(['--mode', 'client', '--port', String(server.port), '--list-services', '--password', 'pw']);
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(/^Secure session: MSP v3.*\nmessaging v1 {2}\(TYPE 0x10 0x11\)\nservices v1 {2}\(TYPE 0x12 0x13 0x14\)\n$/);
    await server.waitFor((events) => events.some((e) => e.event === 'packet' && e.type === 'SEALED_SERVICE'));
  });

  it('against a server like the original msp.py (silent on what it does not know): says so, exit 1, no hang', async () => {
    const original = await listenOn((socket) => socket.on('data', () => {}));
    const run = await runCli(['--mode', 'client', '--port', String(original.port), '--list-services', '--timeout', '0.5']);
    await original.close();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: 127\.0\.0\.1:\d+ did not answer the services query within 0\.5 s: it speaks only DATA\/ACK \(as the original msp\.py does\)\.\n$/);
  });
});
