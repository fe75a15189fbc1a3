/**
 * Auto-responder rules over real sockets on 127.0.0.1: each match kind and each misbehaviour,
 * with a raw client that records every read and decodes it, so the test sees exactly what a
 * device would: the reply, no ACK, a late ACK, a bad CRC, an ACK in N reads, junk then the ACK.
 * The client side too: our client's Session with rules bends the ACK it owes the server.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRules, type Rule } from '../../shared/automation/rules.ts';
import { MspDecoder, PacketType, encodePacket, utf8Encode, type DecodeEvent } from '../../shared/msp/index.ts';
import { Responder, type ResponderEvent } from '../../electron/main/automation/responder.ts';
import { TcpServer } from '../../electron/main/link/tcp-server.ts';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { connectTo, listenOn } from '../helpers/net.ts';
import { waitFor } from '../helpers/wait.ts';

const ACK = Buffer.from('aa55000901114f4b9a', 'hex');

/** Rules as a person writes them, through the schema (defaults filled in). */
function rules(...raw: unknown[]): Rule[] {
  const checked = checkRules({ rules: raw });
  if (!checked.ok) throw new Error(checked.message);
  return checked.value.rules;
}

const data = (text: string | Uint8Array, type: number = PacketType.DATA) =>
  encodePacket({ version: 1, type, payload: typeof text === 'string' ? utf8Encode(text) : text });

/** A raw client: every read kept apart, and everything decoded as one stream. */
class RawClient {
  readonly reads: Buffer[] = [];
  readonly events: DecodeEvent[] = [];
  closed = false;
  private readonly decoder = new MspDecoder();
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.reads.push(chunk);
      this.events.push(...this.decoder.push(chunk));
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  packets() {
    return this.events.flatMap((e) => (e.kind === 'packet' ? [e.packet] : []));
  }
  texts() {
    return this.packets().map((p) => `${p.type.toString(16)}:${Buffer.from(p.payload).toString()}`);
  }
  bytes() {
    return Buffer.concat(this.reads);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A TCP server answering by these rules, and a raw client connected to it. */
async function serve(ruleList: Rule[]): Promise<{ client: RawClient; responder: Responder; fired: ResponderEvent[] }> {
  const fired: ResponderEvent[] = [];
  const made = Responder.create(ruleList, (event) => fired.push(event));
  if (!made.ok) throw new Error(made.message);
  const server = new TcpServer({ host: '127.0.0.1', port: 0, session: { autoAck: true, packetHook: made.responder } });
  const listening = await server.listen();
  if (!listening.ok) throw new Error(listening.error.message);
  cleanups.push(() => server.stop());
  const socket = await connectTo(listening.port);
  cleanups.push(() => void socket.destroy());
  return { client: new RawClient(socket), responder: made.responder, fired };
}

describe('rules: matching and replies', () => {
  it('contains: replies after the ACK, with a counter that counts', async () => {
    const { client, responder } = await serve(rules({ match: { kind: 'contains', pattern: 'world' }, action: { kind: 'reply', template: 'seen {counter}' } }));
    client.socket.write(data('hello world'));
    await waitFor(() => client.packets().length >= 2, 'the ACK and the reply');
    client.socket.write(data('nothing here'));
    client.socket.write(data('world again'));
    await waitFor(() => client.packets().length >= 5, 'two ACKs and the second reply');
    expect(client.texts()).toEqual(['11:OK', '10:seen 1', '11:OK', '11:OK', '10:seen 2']);
    expect(responder.firedCounts).toEqual([2]);
  });

  it('regex: captures fill the template; a payload that does not match gets only its ACK', async () => {
    const { client } = await serve(rules({ match: { kind: 'regex', pattern: 'T=(\\d+) H=(\\d+)' }, action: { kind: 'reply', template: 'temp {1}, humidity {2} ({0})' } }));
    client.socket.write(data('sensor T=21 H=40'));
    await waitFor(() => client.packets().length >= 2, 'the reply');
    client.socket.write(data('T=x H=y'));
    client.socket.write(data('T=5 H=6'));
    await waitFor(() => client.packets().length >= 5, 'the second reply');
    expect(client.texts()).toEqual(['11:OK', '10:temp 21, humidity 40 (T=21 H=40)', '11:OK', '11:OK', '10:temp 5, humidity 6 (T=5 H=6)']);
  });

  it('hex with a mask: only the masked bits count; a hex template with the counter as a byte', async () => {
    const { client } = await serve(rules({ match: { kind: 'hex', pattern: '01 02 00', mask: 'FF FF 00' }, action: { kind: 'reply', format: 'hex', template: 'CA FE {counter}' } }));
    client.socket.write(data(Uint8Array.of(0x01, 0x03, 0x99))); // second byte differs: no match
    client.socket.write(data(Uint8Array.of(0x01, 0x02, 0x99, 0x77))); // the third byte is masked out
    await waitFor(() => client.packets().length >= 3, 'two ACKs and the reply');
    const reply = client.packets()[2];
    expect(reply.type).toBe(PacketType.DATA);
    expect(Buffer.from(reply.payload).toString('hex')).toBe('cafe01');
  });

  it('type and peer: a rule for another TYPE or another peer does not fire; evaluated in order, disabled rules skipped', async () => {
    const { client, responder } = await serve(
      rules(
        { name: 'off', enabled: false, match: { kind: 'any' }, action: { kind: 'reply', template: 'disabled' } },
        { match: { kind: 'any', peer: '10.9.9.9' }, action: { kind: 'reply', template: 'other peer' } },
        { match: { kind: 'any', type: 0x05 }, action: { kind: 'reply', template: 'type 05', type: 0x06 } },
        { match: { kind: 'any', type: 'DATA', peer: '127.0.0.1' }, action: { kind: 'reply', template: 'first' } },
        { match: { kind: 'any' }, action: { kind: 'reply', template: 'never: the one before always wins' } },
      ),
    );
    client.socket.write(data('x', 0x05));
    await waitFor(() => client.packets().length >= 1, 'the 0x05 reply');
    client.socket.write(data('y'));
    await waitFor(() => client.packets().length >= 3, 'the ACK and the DATA reply');
    expect(client.texts()).toEqual(['6:type 05', '11:OK', '10:first']);
    expect(responder.firedCounts).toEqual([0, 0, 1, 1, 0]);
  });

  it('a reply after a delay comes after the ACK', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'reply', template: 'late', delayMs: 150 } }));
    const sent = Date.now();
    client.socket.write(data('x'));
    await waitFor(() => client.packets().length >= 2, 'the late reply');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(145);
    expect(client.texts()).toEqual(['11:OK', '10:late']);
  });
});

describe('rules: misbehaving on purpose with the ACK', () => {
  it('drop-ack: the matching DATA gets no ACK, the next one does', async () => {
    const { client } = await serve(rules({ match: { kind: 'contains', pattern: 'drop me' }, action: { kind: 'drop-ack' } }));
    client.socket.write(data('drop me'));
    client.socket.write(data('keep me'));
    await waitFor(() => client.packets().length >= 1, 'the second ACK');
    expect(client.bytes()).toEqual(ACK); // exactly one ACK, nothing else
  });

  it('delay-ack: the ACK arrives no sooner than asked', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'delay-ack', delayMs: 200 } }));
    const sent = Date.now();
    client.socket.write(data('x'));
    await waitFor(() => client.packets().length >= 1, 'the delayed ACK');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(195);
    expect(client.bytes()).toEqual(ACK);
  });

  it('corrupt-crc: the client decoder reports MSP_ERR_BAD_CRC on the ACK, and the CRC it should have had', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'corrupt-crc' } }));
    client.socket.write(data('x'));
    await waitFor(() => client.events.length >= 1, 'the bent ACK');
    const event = client.events[0];
    expect(event.kind).toBe('error');
    if (event.kind !== 'error') return;
    expect(event.code).toBe('MSP_ERR_BAD_CRC');
    expect(event.expectedCrc).toBe(0x9a);
    expect(event.length).toBe(ACK.length);
  });

  it('corrupt-byte: the chosen byte is XORed (TYPE 0x11 ^ 0x01 makes the ACK a DATA)', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'corrupt-byte', offset: 5, xor: 1 } }));
    client.socket.write(data('x'));
    await waitFor(() => client.reads.length >= 1, 'the bent ACK');
    const expected = Buffer.from(ACK);
    expected[5] ^= 1;
    expect(client.bytes()).toEqual(expected);
    expect(client.texts()).toEqual(['10:OK']);
  });

  it('split-ack: the ACK arrives in N reads that together are the ACK', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'split-ack', parts: 3, gapMs: 40 } }));
    client.socket.write(data('x'));
    await waitFor(() => client.packets().length >= 1, 'the whole ACK');
    expect(client.reads.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(client.bytes()).toEqual(ACK);
  });

  it('duplicate-ack: the ACK arrives N times', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'duplicate-ack', copies: 3 } }));
    client.socket.write(data('x'));
    await waitFor(() => client.packets().length >= 3, 'three ACKs');
    expect(client.bytes()).toEqual(Buffer.concat([ACK, ACK, ACK]));
  });

  it('junk-before-ack: the decoder skips the junk, then finds the ACK', async () => {
    const { client } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'junk-before-ack', junk: '01 02 03 04 05' } }));
    client.socket.write(data('x'));
    await waitFor(() => client.packets().length >= 1, 'the ACK after the junk');
    expect(client.events.map((e) => e.kind)).toEqual(['skipped', 'packet']);
    const skipped = client.events[0];
    expect(skipped.kind === 'skipped' && skipped.length).toBe(5);
  });

  it('close: the link closes with no ACK', async () => {
    const { client, fired } = await serve(rules({ match: { kind: 'any' }, action: { kind: 'close' } }));
    client.socket.write(data('x'));
    await waitFor(() => client.closed, 'the close');
    expect(client.bytes().length).toBe(0);
    expect(fired.map((e) => e.kind === 'fired' && e.action)).toEqual(['close']);
  });

  it('ACKs owed for earlier packets of the same read go out before a bent one', async () => {
    const { client } = await serve(rules({ match: { kind: 'contains', pattern: 'bend' }, action: { kind: 'corrupt-crc' } }));
    client.socket.write(Buffer.concat([data('fine'), data('bend'), data('fine')]));
    await waitFor(() => client.events.length >= 3, 'three answers');
    // After a bad CRC the decoder rescans from the byte after its SYNC: the rest of the frame is skipped.
    expect(client.events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual(['packet', 'MSP_ERR_BAD_CRC', 'skipped', 'packet']);
  });
});

describe('rules on the client side', () => {
  it("the client's rules bend the ACK it owes the server, and reply to the server's DATA", async () => {
    const server = new RawServerSide();
    const peer = await listenOn((socket) => server.attach(socket));
    cleanups.push(() => peer.close());
    const made = Responder.create(
      rules(
        { match: { kind: 'contains', pattern: 'ping' }, action: { kind: 'reply', template: 'pong {counter}' } },
        { match: { kind: 'contains', pattern: 'bad' }, action: { kind: 'corrupt-crc' } },
      ),
    );
    if (!made.ok) throw new Error(made.message);
    const connected = await connectTcp({ host: '127.0.0.1', port: peer.port, session: { autoAck: true, packetHook: made.responder } });
    if (!connected.ok) throw new Error(connected.error.message);
    cleanups.push(() => connected.session.close());
    await waitFor(() => server.client !== undefined, 'the client to connect');
    server.client!.socket.write(data('ping'));
    server.client!.socket.write(data('bad'));
    await waitFor(() => server.client!.events.length >= 4, 'ACK, bent ACK, reply');
    expect(server.client!.events.map((e) => (e.kind === 'packet' ? `${e.packet.type.toString(16)}:${Buffer.from(e.packet.payload)}` : e.kind === 'error' ? e.code : e.kind))).toEqual([
      '11:OK',
      'MSP_ERR_BAD_CRC',
      'skipped', // the rest of the bent ACK, after its SYNC
      '10:pong 1', // a reply waits for the read's ACKs: it goes out on the next turn of the event loop
    ]);
  });
});

/** The far end of a client test: a plain socket server whose one client is recorded. */
class RawServerSide {
  client: RawClient | undefined;
  attach(socket: Socket): void {
    this.client = new RawClient(socket);
  }
}
