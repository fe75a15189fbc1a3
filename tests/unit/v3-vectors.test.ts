import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PacketType, encodePacket, parsePacket, utf8DecodeStrict, type Packet } from '../../shared/msp/index.ts';
import {
  CPaceParty,
  calculateGenerator,
  intermediateSessionKey,
  scalarFromBytes,
  scalarMultVfy,
  transcriptIr,
  type Scalar,
} from '../../electron/main/link/crypto/cpace/index.ts';
import { ClientHandshake } from '../../electron/main/link/crypto/v3/client-handshake.ts';
import { channelIdentifier, deriveSessionKeys, passwordBytes } from '../../electron/main/link/crypto/v3/keys.ts';
import { ServerHandshake, prepareServerSecret } from '../../electron/main/link/crypto/v3/server-handshake.ts';
import { SealedTraffic } from '../../electron/main/link/crypto/v3/traffic.ts';
import { fromHex, hexOf } from '../helpers/vectors.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const v = JSON.parse(read('../fixtures/msp-v3-vectors.json'));
const protocolDoc = read('../../docs/PROTOCOL.md');
const packetOf = (hex: string): Packet => {
  const parsed = parsePacket(fromHex(hex));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};
const scalar = (hex: string): Scalar => {
  const s = scalarFromBytes(fromHex(hex));
  if (s === undefined) throw new Error(`scalar out of range: ${hex}`);
  return s;
};
const empty = new Uint8Array(0);
const ascii = (s: string) => Buffer.from(s, 'ascii');
/** CI spelled out byte by byte (lv_cat with one-byte lengths), not through channelIdentifier. */
const ciByHand = (identity: Uint8Array) =>
  Buffer.concat([ascii('MSP v3 CPace'), ascii('initiator=client'), ascii('responder=server'), identity].flatMap((x) => [Buffer.of(x.length), x]));

/** A whole run with the fixed inputs: every frame, and both sides' sealed traffic. */
function handshake(serverIdentity: Uint8Array) {
  const i = v.inputs;
  const client = new ClientHandshake(i.password, 'server', { sid: fromHex(i.sid), scalar: scalar(i.ya), serverIdentity });
  const server = new ServerHandshake(prepareServerSecret(i.password), 'client', { scalar: scalar(i.yb), serverIdentity });
  const hello = client.hello();
  const reply = server.reply(hello, encodePacket(hello));
  if (!reply.ok) throw new Error(reply.error.error.message);
  const confirm = client.answer(reply.value, encodePacket(reply.value));
  if (!confirm.ok) throw new Error(confirm.error.message);
  const serverDone = server.confirm(confirm.value);
  if (!serverDone.ok) throw new Error(serverDone.error.error.message);
  const clientDone = client.finish(serverDone.value.reply);
  if (!clientDone.ok) throw new Error(clientDone.error.message);
  return { hello, reply: reply.value, confirm: confirm.value, serverConfirm: serverDone.value.reply, client: clientDone.value, server: serverDone.value.traffic };
}

describe('MSP v3 test vectors, suite 0x02 CPace (docs/PROTOCOL.md)', () => {
  it('the inputs are the ones the spec fixes, and PRS and CI follow from them', () => {
    expect(v.inputs.password).toBe('correct horse battery staple');
    expect(fromHex(v.inputs.sid)).toHaveLength(16);
    expect(v.inputs.server_identity).toBe('');
    expect(hexOf(passwordBytes(v.inputs.password))).toBe(v.derived.prs);
    expect(hexOf(ciByHand(empty))).toBe(v.derived.ci);
    expect(hexOf(channelIdentifier(empty))).toBe(v.derived.ci);
  });

  it('the CPace values: generator, Ya, Yb, K and ISK, from the core and by the draft formula', () => {
    const d = v.derived;
    const sid = fromHex(v.inputs.sid);
    const [ya, yb] = [scalar(v.inputs.ya), scalar(v.inputs.yb)];
    const prs = fromHex(d.prs);
    const ci = fromHex(d.ci);
    expect(hexOf(calculateGenerator(prs, ci, sid).toBytes())).toBe(d.generator);
    const a = CPaceParty.start({ prs, ci, sid, ad: empty, role: 'initiator' }, ya);
    const b = CPaceParty.start({ prs, ci, sid, ad: empty, role: 'responder' }, yb);
    expect(hexOf(a.message.share)).toBe(d.Ya);
    expect(hexOf(b.message.share)).toBe(d.Yb);
    const ka = scalarMultVfy(ya, fromHex(d.Yb));
    const kb = scalarMultVfy(yb, fromHex(d.Ya));
    expect(ka.ok && hexOf(ka.value)).toBe(d.K);
    expect(kb.ok && hexOf(kb.value)).toBe(d.K);
    const isk = intermediateSessionKey(sid, fromHex(d.K), transcriptIr({ share: fromHex(d.Ya), ad: empty }, { share: fromHex(d.Yb), ad: empty }));
    expect(hexOf(isk)).toBe(d.isk);
    const fa = a.finish(b.message);
    const fb = b.finish(a.message);
    expect(fa.ok && hexOf(fa.value.isk)).toBe(d.isk);
    expect(fb.ok && hexOf(fb.value.isk)).toBe(d.isk);
  });

  it('the key schedule from ISK and the frames: th, the four keys and both tags (node:crypto directly)', () => {
    const d = v.derived;
    const th = createHash('sha256').update(fromHex(v.frames.hello)).update(fromHex(v.frames.hello_reply)).digest();
    expect(hexOf(th)).toBe(d.transcript_hash);
    const key = (label: string) => hexOf(new Uint8Array(hkdfSync('sha256', fromHex(d.isk), th, `MSP v3 ${label}`, 32)));
    expect(key('c2s key')).toBe(d.c2s_key);
    expect(key('s2c key')).toBe(d.s2c_key);
    expect(key('c2s confirm')).toBe(d.c2s_confirm_key);
    expect(key('s2c confirm')).toBe(d.s2c_confirm_key);
    const keys = deriveSessionKeys(fromHex(d.isk), th);
    expect([keys.c2s, keys.s2c, keys.c2sConfirm, keys.s2cConfirm].map(hexOf)).toEqual([d.c2s_key, d.s2c_key, d.c2s_confirm_key, d.s2c_confirm_key]);
    const tag = (k: string) => createHmac('sha256', fromHex(k)).update(th).digest('hex');
    expect(tag(d.c2s_confirm_key)).toBe(d.tag_c);
    expect(tag(d.s2c_confirm_key)).toBe(d.tag_s);
  });

  it('the frames: HELLO = suite 2 || sid || Ya (49 bytes), HELLO_REPLY = suite 2 || Yb (33), the confirmations carry the tags', () => {
    const f = v.frames;
    const d = v.derived;
    const hello = packetOf(f.hello);
    expect(hello).toMatchObject({ version: 3, type: PacketType.HELLO });
    expect(hexOf(hello.payload)).toBe('02' + v.inputs.sid + d.Ya);
    const reply = packetOf(f.hello_reply);
    expect(reply).toMatchObject({ version: 3, type: PacketType.HELLO_REPLY });
    expect(hexOf(reply.payload)).toBe('02' + d.Yb);
    expect(packetOf(f.client_confirm)).toMatchObject({ version: 3, type: PacketType.CLIENT_CONFIRM });
    expect(hexOf(packetOf(f.client_confirm).payload)).toBe(d.tag_c);
    expect(packetOf(f.server_confirm)).toMatchObject({ version: 3, type: PacketType.SERVER_CONFIRM });
    expect(hexOf(packetOf(f.server_confirm).payload)).toBe(d.tag_s);
  });

  it('a client and a server with the fixed inputs produce every handshake frame and sealed packet of the vectors', () => {
    const run = handshake(empty);
    expect(hexOf(encodePacket(run.hello))).toBe(v.frames.hello);
    expect(hexOf(encodePacket(run.reply))).toBe(v.frames.hello_reply);
    expect(hexOf(encodePacket(run.confirm))).toBe(v.frames.client_confirm);
    expect(hexOf(encodePacket(run.serverConfirm))).toBe(v.frames.server_confirm);

    const senders = { client: run.client, server: run.server };
    const receivers = { client: run.server, server: run.client };
    for (const s of v.sealed as Array<{ from: 'client' | 'server'; type: string; seq: number; plaintext: string; frame: string }>) {
      const type = s.type === 'SEALED_DATA' ? PacketType.SEALED_DATA : PacketType.SEALED_ACK;
      const sealed = senders[s.from].seal(type, new TextEncoder().encode(s.plaintext));
      expect(sealed.ok && hexOf(encodePacket(sealed.packet))).toBe(s.frame);
      const packet = packetOf(s.frame);
      expect(packet.type).toBe(type);
      expect(Buffer.from(packet.payload.subarray(0, 8)).readBigUInt64BE()).toBe(BigInt(s.seq));
      const opened = receivers[s.from].open(packet);
      expect(opened.ok && utf8DecodeStrict(opened.plaintext)).toBe(s.plaintext);
    }
  });

  it('the sealed vectors open with the derived keys alone (what another implementation checks)', () => {
    const c2s = new SealedTraffic(Buffer.alloc(32), Buffer.from(fromHex(v.derived.c2s_key)), 'client');
    const s2c = new SealedTraffic(Buffer.alloc(32), Buffer.from(fromHex(v.derived.s2c_key)), 'server');
    for (const s of v.sealed) {
      const opened = (s.from === 'client' ? c2s : s2c).open(packetOf(s.frame));
      expect(opened.ok && utf8DecodeStrict(opened.plaintext)).toBe(s.plaintext);
    }
  });

  it('with a TLS identity: CI ends with the certificate fingerprint, and the generator and ISK change', () => {
    const t = v.with_tls_identity;
    const identity = fromHex(t.server_identity);
    expect(identity).toHaveLength(32);
    expect(hexOf(ciByHand(identity))).toBe(t.ci);
    expect(hexOf(channelIdentifier(identity))).toBe(t.ci);
    const sid = fromHex(v.inputs.sid);
    const prs = fromHex(v.derived.prs);
    expect(hexOf(calculateGenerator(prs, fromHex(t.ci), sid).toBytes())).toBe(t.generator);
    const a = CPaceParty.start({ prs, ci: fromHex(t.ci), sid, ad: empty, role: 'initiator' }, scalar(v.inputs.ya));
    const b = CPaceParty.start({ prs, ci: fromHex(t.ci), sid, ad: empty, role: 'responder' }, scalar(v.inputs.yb));
    const isk = a.finish(b.message);
    expect(isk.ok && hexOf(isk.value.isk)).toBe(t.isk);
    expect(t.generator).not.toBe(v.derived.generator);
    expect(t.isk).not.toBe(v.derived.isk);
    // The whole handshake runs through with the identity on both sides, to other frames.
    const run = handshake(identity);
    expect(hexOf(encodePacket(run.hello))).not.toBe(v.frames.hello);
    expect(hexOf(encodePacket(run.confirm))).not.toBe(v.frames.client_confirm);
  });

  it('docs/PROTOCOL.md prints the same vectors as the fixture', () => {
    const hexes = [
      ...Object.values(v.inputs).filter((x): x is string => typeof x === 'string' && /^[0-9a-f]+$/.test(x)),
      ...Object.values(v.derived),
      ...Object.values(v.frames),
      ...v.sealed.map((s: { frame: string }) => s.frame),
      ...Object.values(v.with_tls_identity),
    ] as string[];
    const doc = protocolDoc.replace(/\s+/g, '');
    for (const hex of hexes) expect(doc, hex).toContain(hex);
  });
});
