/**
 * The real CLI over real serial ports: a socat pty pair is a null-modem cable between
 * two ends, /A and /B. Needs socat (see tests/helpers/socat.ts for what happens without it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startCli, stopAllClis, type CliEvent, type CliProcess } from '../helpers/cli-process.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';
import { hexOf } from '../helpers/vectors.ts';
import { waitFor } from '../helpers/wait.ts';

const ACK = 'aa55000901114f4b9a';
const LINE_9600_8N1 = ['--baud', '9600', '--data-bits', '8', '--parity', 'none', '--stop-bits', '1'];

afterEach(async () => {
  await stopAllClis();
  await stopAllPtyPairs();
});

const isOpen = (e: CliEvent) => e.event === 'open';
const packets = (events: CliEvent[], dir: 'in' | 'out', side?: string) =>
  events.filter((e) => e.event === 'packet' && e.dir === dir && (side === undefined || e.side === side));

function serialServer(path: string, ...extra: string[]): Promise<CliProcess> {
  return startCli(['--mode', 'server', '--serial', path, ...LINE_9600_8N1, ...extra], isOpen);
}

/** Opens the other end by hand, as a test instrument: writes bytes, collects what comes back. */
async function openEnd(path: string) {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  return {
    write: (bytes: Uint8Array) => port.write(Buffer.from(bytes)),
    received: () => received,
    close: () => new Promise<void>((resolve) => port.close(() => resolve())),
  };
}

const oneLineNoStack = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
};

describe(`CLI over a socat pty pair${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('server on one end, client on the other, 9600 8N1: every message is ACKed and the server shows each packet', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a);
    expect(server.events[0]).toMatchObject({ event: 'open', path: pty.a, line: '9600 8N1' });
    const run = await runCli(['--mode', 'client', '--serial', pty.b, ...LINE_9600_8N1, '--message', 'Hello MSP', '--repeat', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
    expect(run.stdout).toMatch(/^ACK 3\/3: OK \([\d.]+ ms\)$/m);
    await server.waitFor((events) => packets(events, 'in').length === 3, 'three packets at the server');
    expect(packets(server.events, 'in')[0]).toMatchObject({ type: 'DATA', version: 1, text: 'Hello MSP', peer: pty.a });
    expect(packets(server.events, 'out')[0]).toMatchObject({ type: 'ACK', text: 'OK' });
  });

  it('MSP v3 over the serial line: --password on both ends, sealed both ways, the server shows the plaintext', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a, '--password', 'retro secret');
    const run = await runCli(['--mode', 'client', '--serial', pty.b, ...LINE_9600_8N1, '--password', 'retro secret', '--message', 'sealed hello', '--repeat', '2', '--timeout', '20'], 60_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ACK 2\/2/);
    await server.waitFor((events) => packets(events, 'in').some((e) => e.text === 'sealed hello'), 'the decrypted packet at the server');
    expect(packets(server.events, 'in').find((e) => e.text === 'sealed hello')).toMatchObject({ type: 'SEALED_DATA', version: 3 });
    expect(JSON.stringify(server.events)).not.toContain('retro secret');
  });

  it('a wrong password does not stop a password responder: it says so, and the right password then gets through', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a, '--password', 'retro secret');
    const client = (password: string) =>
      runCli(['--mode', 'client', '--serial', pty.b, ...LINE_9600_8N1, '--password', password, '--message', 'knock', '--timeout', '20'], 60_000);
    const wrong = await client('not it');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Wrong password/);
    const right = await client('retro secret');
    expect(right.stderr).toBe('');
    expect(right.code).toBe(0);
    await server.waitFor((events) => packets(events, 'in').some((e) => e.text === 'knock'), 'the packet sent with the right password');
    expect(server.child.exitCode).toBeNull();
  });

  it('junk bytes on the line before a packet are skipped and the packet is still ACKed', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a);
    const end = await openEnd(pty.b);
    const junk = Buffer.from('\r\n+++ATZ\r\n\x00\x7f garbage from a modem', 'latin1');
    end.write(Buffer.concat([junk, encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('after the noise') })]));
    await waitFor(() => end.received().length >= 9, 'the ACK');
    expect(hexOf(end.received())).toBe(ACK);
    await server.waitFor((events) => packets(events, 'in').length === 1, 'the packet at the server');
    expect(packets(server.events, 'in')[0]).toMatchObject({ type: 'DATA', text: 'after the noise' });
    expect(server.events.find((e) => e.event === 'skipped')).toMatchObject({ bytes: junk.length });
    await end.close();
  });

  it('the FreeDOS preset on both ends (pause between packets, 1024-byte limit) still gets every ACK', async () => {
    const pty = await startPtyPair();
    const server = await startCli(['--mode', 'server', '--serial', pty.a, '--preset', 'freedos'], isOpen);
    expect(server.events[0]).toMatchObject({ line: '9600 8N1' });
    const run = await runCli(['--mode', 'client', '--serial', pty.b, '--preset', 'freedos', '--message', 'C:\\> DIR', '--repeat', '3']);
    expect(run.code).toBe(0);
    const tooBig = await runCli(['--mode', 'client', '--serial', pty.b, '--preset', 'freedos', '--message', 'x'.repeat(1020)]);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toMatch(/^Error: This message makes a 1027-byte packet, but this link sends at most 1024 bytes per packet/);
  });

  it('bridge: a TCP client reaches a serial responder through the bridge and the pty, and gets its ACKs', async () => {
    const pty = await startPtyPair();
    const responder = await serialServer(pty.b);
    const bridge = await startCli(['--mode', 'bridge', '--serial', pty.a, ...LINE_9600_8N1, '--host', '127.0.0.1', '--port', '0'], (e) => e.event === 'listening');
    const port = bridge.events.find((e) => e.event === 'listening')!.port as number;
    const run = await runCli(['--mode', 'client', '--port', String(port), '--message', 'Hello retro PC', '--repeat', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await responder.waitFor((events) => packets(events, 'in').length === 2, 'two packets at the responder');
    expect(packets(responder.events, 'in')[0]).toMatchObject({ type: 'DATA', text: 'Hello retro PC' });
    // Both sides are in the bridge's log: DATA in on TCP and out on serial, ACK in on serial and out on TCP.
    await bridge.waitFor((events) => packets(events, 'out', 'tcp').length === 2, 'two ACKs back to TCP');
    expect(packets(bridge.events, 'in', 'tcp')[0]).toMatchObject({ type: 'DATA', text: 'Hello retro PC' });
    expect(packets(bridge.events, 'out', 'serial')[0]).toMatchObject({ type: 'DATA', text: 'Hello retro PC', peer: pty.a });
    expect(packets(bridge.events, 'in', 'serial')[0]).toMatchObject({ type: 'ACK', text: 'OK' });
    expect(packets(bridge.events, 'out', 'tcp')[0]).toMatchObject({ type: 'ACK', text: 'OK' });
  });

  it('unplugged under a --reopen server: disconnected with the reason, keeps running, answers again once the port is back', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a, '--reopen');
    await pty.unplug();
    await server.waitFor((events) => events.some((e) => e.event === 'disconnected'), 'the disconnected event');
    expect(server.events.find((e) => e.event === 'disconnected')).toMatchObject({
      path: pty.a,
      code: 'LINK_ERR_PORT_DISCONNECTED',
      message: expect.stringMatching(/was disconnected/),
      reopening: true,
    });
    expect(server.child.exitCode).toBeNull();
    await pty.replug();
    await server.waitFor((events) => events.filter(isOpen).length === 2, 'the port to reopen');
    const run = await runCli(['--mode', 'client', '--serial', pty.b, ...LINE_9600_8N1, '--message', 'back again']);
    expect(run.code).toBe(0);
    await server.waitFor((events) => packets(events, 'in').some((e) => e.text === 'back again'), 'the packet after the replug');
    expect(await server.stop()).toBe(0);
  });

  it('unplugged without --reopen: the server says why in one line and exits 1', async () => {
    const pty = await startPtyPair();
    const server = await serialServer(pty.a);
    await pty.unplug();
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(/^Error: Serial port .*\/A was disconnected \(unplugged, or its other end closed\)/);
    oneLineNoStack(server.stderr());
  });

  it('a port another program holds is busy: one line, exit 1', async () => {
    const pty = await startPtyPair();
    await serialServer(pty.a);
    const run = await runCli(['--mode', 'client', '--serial', pty.a, '--message', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`Error: Serial port ${pty.a} is busy: another program has it open. Close it there and try again.\n`);
  });

  it('DTR on a pty (no modem lines): one line saying so, exit 2', async () => {
    const pty = await startPtyPair();
    const run = await runCli(['--mode', 'client', '--serial', pty.a, '--dtr', 'off', '--message', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no modem control lines \(a virtual port\?\): DTR and RTS cannot be switched/);
    oneLineNoStack(run.stderr);
  });
});

describe('msp --list-ports', () => {
  it('prints one JSON object per port, each with its path, and exits 0', async () => {
    const run = await runCli(['--list-ports', '--json']);
    expect(run.code).toBe(0);
    for (const line of run.stdout.trim().split('\n').filter(Boolean)) {
      const event = JSON.parse(line) as CliEvent;
      expect(event.event === 'none' || (event.event === 'port' && typeof event.path === 'string')).toBe(true);
    }
  });
});

describe('CLI serial flags: bad input is one line and exit 2, never a stack trace', () => {
  it.each([
    [['--mode', 'client', '--serial', '/dev/ttyDOESNOTEXIST9', '--message', 'x'], /^Error: Serial port \/dev\/ttyDOESNOTEXIST9 does not exist/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--stop-bits', '1.5', '--data-bits', '5'], /1\.5 stop bits are not supported on Linux: use 1 or 2/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--parity', 'mark'], /Mark parity is not supported on Linux: use none, even or odd/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--parity', 'weird'], /--parity must be none, even, odd, mark or space, got "weird"/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--baud', 'fast'], /--baud must be a whole number, got "fast"/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--baud', '9999999'], /Baud rate 9999999 is not possible/],
    [['--mode', 'server', '--serial', '/dev/ttyS0', '--preset', 'amiga'], /Unknown --preset "amiga": use freedos, slow-retro, usb-serial/],
    [['--mode', 'server', '--baud', '9600'], /--baud needs --serial PATH/],
    [['--mode', 'bridge', '--port', '9009'], /--mode bridge needs --serial PATH/],
    [['--mode', 'bridge', '--serial', '/dev/ttyS0', '--password', 'pw'], /give --password to the two ends, not to the bridge/],
    [['--mode', 'client', '--serial', '/dev/ttyS0', '--message', 'x', '--reopen'], /--reopen is for --mode server or --mode bridge/],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    oneLineNoStack(run.stderr);
  });
});
