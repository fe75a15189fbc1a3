import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PacketType, encodePacket, parsePacket, utf8DecodeStrict, type Packet } from '../../shared/msp/index.ts';
import { ClientHandshake } from '../../electron/main/link/crypto/v3/client-handshake.ts';
import { DEFAULT_KDF, deriveMaster, ephemeralKey } from '../../electron/main/link/crypto/v3/keys.ts';
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

describe('MSP v3 test vectors (docs/PROTOCOL.md)', () => {
  it('the default scrypt cost is the one the spec states: N = 2^17, r = 8, p = 1', () => {
    expect(DEFAULT_KDF).toEqual({ logN: 17, r: 8, p: 1 });
    expect(protocolDoc).toContain('N = 2^17, r = 8, p = 1');
  });

  it('a client and a server with the fixed inputs produce every handshake byte of the vectors', async () => {
    const i = v.inputs;
    const clientKey = ephemeralKey(fromHex(i.client_private_key));
    const serverKey = ephemeralKey(fromHex(i.server_private_key));
    expect(hexOf(clientKey.publicKey)).toBe(v.derived.client_public_key);
    expect(hexOf(serverKey.publicKey)).toBe(v.derived.server_public_key);

    const secret = await prepareServerSecret(i.password, i.kdf, Buffer.from(fromHex(i.salt)));
    expect(hexOf(secret.master)).toBe(v.derived.master);
    const client = new ClientHandshake(i.password, 'server', { minKdf: i.kdf, ephemeral: clientKey });
    const server = new ServerHandshake(secret, 'client', serverKey);

    const hello = client.hello();
    expect(hexOf(encodePacket(hello))).toBe(v.frames.hello);
    const reply = server.reply(hello, encodePacket(hello));
    expect(reply.ok && hexOf(encodePacket(reply.value))).toBe(v.frames.hello_reply);
    if (!reply.ok) return;
    const confirm = await client.answer(reply.value, encodePacket(reply.value));
    expect(confirm.ok && hexOf(encodePacket(confirm.value))).toBe(v.frames.client_confirm);
    if (!confirm.ok) return;
    const serverDone = server.confirm(confirm.value);
    expect(serverDone.ok && hexOf(encodePacket(serverDone.value.reply))).toBe(v.frames.server_confirm);
    if (!serverDone.ok) return;
    const clientDone = client.finish(serverDone.value.reply);
    expect(clientDone.ok).toBe(true);
    if (!clientDone.ok) return;

    const sides = { client: clientDone.value, server: serverDone.value.traffic };
    const receivers = { client: serverDone.value.traffic, server: clientDone.value };
    for (const s of v.sealed as Array<{ from: 'client' | 'server'; type: string; plaintext: string; frame: string }>) {
      const type = s.type === 'SEALED_DATA' ? PacketType.SEALED_DATA : PacketType.SEALED_ACK;
      const sealed = sides[s.from].seal(type, new TextEncoder().encode(s.plaintext));
      expect(sealed.ok && hexOf(encodePacket(sealed.packet))).toBe(s.frame);
      const opened = receivers[s.from].open(packetOf(s.frame));
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

  it('scrypt with the default cost gives the master key of the vectors', async () => {
    const d = v.default_kdf_master;
    expect(d.kdf).toEqual(DEFAULT_KDF);
    expect(hexOf(await deriveMaster(d.password, fromHex(d.salt), d.kdf))).toBe(d.master);
  });

  it('docs/PROTOCOL.md prints the same vectors as the fixture', () => {
    const hexes = [
      ...Object.values(v.inputs).filter((x): x is string => typeof x === 'string' && /^[0-9a-f]+$/.test(x)),
      ...Object.values(v.derived),
      ...Object.values(v.frames),
      ...v.sealed.map((s: { frame: string }) => s.frame),
      v.default_kdf_master.master,
    ] as string[];
    const doc = protocolDoc.replace(/\s+/g, '');
    for (const hex of hexes) expect(doc, hex).toContain(hex);
  });
});
