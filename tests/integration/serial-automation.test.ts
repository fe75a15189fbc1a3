/**
 * Automation on serial lines, through the real CLI over a socat pty pair: a serial responder
 * answering by --rules (a reply, and a corrupted ACK the other end's decoder flags), and a
 * bridge impairing what it forwards (--impair duplicate=100%: every packet arrives twice,
 * in both directions).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { MspDecoder, PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { startCli, stopAllClis } from '../helpers/cli-process.ts';
import { connectTo } from '../helpers/net.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';
import { waitFor } from '../helpers/wait.ts';

const LINE = ['--baud', '9600', '--data-bits', '8', '--parity', 'none', '--stop-bits', '1'];
const dir = mkdtempSync(join(tmpdir(), 'msp-serial-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await stopAllClis();
  await stopAllPtyPairs();
});

const data = (text: string) => encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(text) });

/** The other end of the cable, opened by hand: what it receives, decoded. */
async function openEnd(path: string) {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const decoder = new MspDecoder();
  const seen: string[] = [];
  port.on('data', (chunk: Buffer) => {
    for (const e of decoder.push(chunk)) seen.push(e.kind === 'packet' ? `${e.packet.type.toString(16)}:${Buffer.from(e.packet.payload)}` : e.kind === 'error' ? e.code : e.kind);
  });
  return { write: (bytes: Uint8Array) => port.write(Buffer.from(bytes)), seen, close: () => new Promise<void>((r) => port.close(() => r())) };
}

describe(`automation on a serial line${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('a serial responder answers by --rules: a reply after the ACK, and a corrupted ACK', async () => {
    const pty = await startPtyPair();
    const rules = join(dir, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { match: { kind: 'contains', pattern: 'ping' }, action: { kind: 'reply', template: 'pong {counter}' } },
          { match: { kind: 'contains', pattern: 'bend' }, action: { kind: 'corrupt-crc' } },
        ],
      }),
    );
    const responder = await startCli(['--mode', 'server', '--serial', pty.a, ...LINE, '--rules', rules, '--json'], (e) => e.event === 'open');
    const end = await openEnd(pty.b);
    try {
      end.write(data('ping'));
      await waitFor(() => end.seen.length >= 2, 'the ACK and the reply');
      end.write(data('bend'));
      await waitFor(() => end.seen.includes('MSP_ERR_BAD_CRC'), 'the bent ACK');
      expect(end.seen.slice(0, 3)).toEqual(['11:OK', '10:pong 1', 'MSP_ERR_BAD_CRC']);
      await responder.waitFor((events) => events.filter((e) => e.event === 'rule').length === 2, 'two rule lines');
    } finally {
      await end.close();
    }
  });

  it('a bridge with --impair duplicate=100% forwards every packet twice, both ways', async () => {
    const pty = await startPtyPair();
    const bridge = await startCli(
      ['--mode', 'bridge', '--serial', pty.a, ...LINE, '--host', '127.0.0.1', '--port', '0', '--impair', 'duplicate=100%', '--seed', '1', '--json'],
      (e) => e.event === 'listening',
    );
    expect(bridge.events.find((e) => e.event === 'impairment')).toMatchObject({ impair: 'duplicate=100%', seed: 1 });
    const port = bridge.events.find((e) => e.event === 'listening')!.port as number;
    const end = await openEnd(pty.b);
    const socket = await connectTo(port);
    const tcpSeen: string[] = [];
    const decoder = new MspDecoder();
    socket.on('data', (chunk) => {
      for (const e of decoder.push(chunk)) if (e.kind === 'packet') tcpSeen.push(Buffer.from(e.packet.payload).toString());
    });
    try {
      socket.write(data('to serial'));
      await waitFor(() => end.seen.length >= 2, 'two copies on the serial side');
      end.write(data('to tcp'));
      await waitFor(() => tcpSeen.length >= 2, 'two copies on the TCP side');
      expect(end.seen).toEqual(['10:to serial', '10:to serial']);
      expect(tcpSeen).toEqual(['to tcp', 'to tcp']);
    } finally {
      socket.destroy();
      await end.close();
    }
  });
});
