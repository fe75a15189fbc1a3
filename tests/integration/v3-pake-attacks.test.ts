/**
 * The attack of issue 11, and why CPace ends it. With the X25519 + scrypt design, a man in the
 * middle read the server's salt from one HELLO_REPLY, played the server to a client, and then
 * tested password guesses offline against the client's CLIENT_CONFIRM. Here an attacker sits
 * in the relay between two real Sessions and plays each side with its own CPace runs on
 * guessed passwords. It gets one guess per handshake, and nothing it saw lets it test another:
 * `confirmedPasswords` below is every test it can compute from a transcript and its own secrets.
 */
import { describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, encodePacket, utf8Encode, type Packet } from '../../shared/msp/index.ts';
import {
  calculateGenerator,
  intermediateSessionKey,
  sampleScalar,
  scalarMult,
  scalarMultVfy,
  transcriptIr,
  type Scalar,
} from '../../electron/main/link/crypto/cpace/index.ts';
import { ClientHandshake } from '../../electron/main/link/crypto/v3/client-handshake.ts';
import {
  channelIdentifier,
  confirmTag,
  deriveSessionKeys,
  passwordBytes,
  sameTag,
  transcriptHash,
} from '../../electron/main/link/crypto/v3/keys.ts';
import { AlertCode, decodeHello, decodeHelloReply, encodeAlert } from '../../electron/main/link/crypto/v3/messages.ts';
import { ServerHandshake, prepareServerSecret } from '../../electron/main/link/crypto/v3/server-handshake.ts';
import { link, passwordServer, rejections, v3Client, type Linked } from '../helpers/v3.ts';
import { waitFor } from '../helpers/wait.ts';

const PASSWORD = 'correct horse battery staple';
/** The attacker's dictionary: wrong guesses, and (last, in its remaining list) the real password. */
const GUESSES = ['123456', 'password', 'letmein', 'hunter2'];
const empty = new Uint8Array(0);

/** What a relay saw of one handshake: whole frames as sent, and tag_c. */
interface Transcript {
  hello: Uint8Array;
  helloReply: Uint8Array;
  tagC: Uint8Array;
}

/**
 * Every offline test an attacker can run on a transcript: for each candidate password and each
 * scalar it knows (the ones it drew for its own runs), if that scalar made one of the shares on
 * the candidate's generator, it can compute K, ISK, the keys and tag_c, and compare. A share
 * made by an honest party on the real password has a scalar the attacker does not know, and
 * without it no candidate can be tested (that would take a discrete logarithm).
 */
function confirmedPasswords(t: Transcript, candidates: string[], knownScalars: Scalar[], serverIdentity = empty): string[] {
  const hello = decodeHello(packetOf(t.hello));
  const reply = decodeHelloReply(packetOf(t.helloReply));
  if (typeof hello === 'string' || !reply) throw new Error('not a CPace handshake');
  const th = transcriptHash(t.hello, t.helloReply);
  const transcript = transcriptIr({ share: hello.share, ad: empty }, { share: reply.share, ad: empty });
  return candidates.filter((candidate) => {
    const g = calculateGenerator(passwordBytes(candidate), channelIdentifier(serverIdentity), hello.sid);
    for (const y of knownScalars) {
      for (const [own, other] of [
        [hello.share, reply.share],
        [reply.share, hello.share],
      ]) {
        if (!Buffer.from(scalarMult(y, g)).equals(Buffer.from(own))) continue;
        const k = scalarMultVfy(y, other);
        if (!k.ok) continue;
        const keys = deriveSessionKeys(intermediateSessionKey(hello.sid, k.value, transcript), th);
        if (sameTag(confirmTag(keys.c2sConfirm, th), t.tagC)) return true;
      }
    }
    return false;
  });
}

function packetOf(frame: Uint8Array): Packet {
  const events = new MspDecoder().push(frame);
  const first = events[0];
  if (first?.kind !== 'packet') throw new Error('not a frame');
  return first.packet;
}

/** Frames a relay direction carries, one decoder per direction. */
function framesOf(decoder: MspDecoder, chunk: Buffer): Array<{ packet: Packet; raw: Uint8Array }> {
  return decoder.push(chunk).flatMap((e) => (e.kind === 'packet' ? [{ packet: e.packet, raw: Uint8Array.from(e.raw) }] : []));
}

/**
 * The relay plays the server to a real client, with CPace on `guess`. Returns what it saw, its
 * scalar, whether its guess held (the client's tag_c verified), and how the client ended.
 */
async function impersonateServer(guess: string): Promise<{ transcript: Transcript; scalar: Scalar; guessHeld: boolean; linked: Linked }> {
  const linked = link({ security: v3Client(PASSWORD) }, {});
  const scalar = sampleScalar();
  const attacker = new ServerHandshake(prepareServerSecret(guess), 'victim', { scalar });
  const decoder = new MspDecoder();
  const seen: Partial<Transcript> = {};
  let guessHeld: boolean | undefined;
  linked.relay.tamper = (chunk) => {
    for (const { packet, raw } of framesOf(decoder, chunk)) {
      if (packet.type === PacketType.HELLO) {
        const reply = attacker.reply(packet, raw);
        if (!reply.ok) throw new Error(reply.error.error.message);
        seen.hello = raw;
        seen.helloReply = encodePacket(reply.value);
        linked.relay.toClient(seen.helloReply);
      } else if (packet.type === PacketType.CLIENT_CONFIRM) {
        seen.tagC = packet.payload.slice();
        const confirmed = attacker.confirm(packet);
        guessHeld = confirmed.ok;
        // A right guess would go on as the server; a wrong one answers as a server does.
        linked.relay.toClient(encodePacket(confirmed.ok ? confirmed.value.reply : encodeAlert(AlertCode.WRONG_PASSWORD)));
      }
    }
    return []; // the real server never hears of it
  };
  await waitFor(() => guessHeld !== undefined, 'the client to answer the fake server');
  return { transcript: seen as Transcript, scalar, guessHeld: guessHeld!, linked };
}

/** The relay plays a client to the real server, with CPace on `guess`. */
async function impersonateClient(
  server: ReturnType<typeof passwordServer>,
  guess: string,
): Promise<{ transcript: Transcript | undefined; scalar: Scalar; alert: number | undefined; linked: Linked }> {
  const linked = link({}, { security: server });
  const scalar = sampleScalar();
  const attacker = new ClientHandshake(guess, 'server', { scalar });
  const decoder = new MspDecoder();
  const hello = encodePacket(attacker.hello());
  let transcript: Transcript | undefined;
  let alert: number | undefined;
  let answered = false;
  linked.relay.tamperToClient = (chunk) => {
    for (const { packet, raw } of framesOf(decoder, chunk)) {
      if (packet.type === PacketType.HELLO_REPLY) {
        const confirm = attacker.answer(packet, raw);
        if (!confirm.ok) throw new Error(confirm.error.message);
        transcript = { hello, helloReply: raw, tagC: confirm.value.payload.slice() };
        linked.relay.toServer(encodePacket(confirm.value));
      } else if (packet.type === PacketType.ALERT) {
        alert = packet.payload[0];
        answered = true;
      } else if (packet.type === PacketType.SERVER_CONFIRM) {
        answered = true;
      }
    }
    return []; // the plain client on this end hears nothing
  };
  linked.relay.toServer(hello);
  await waitFor(() => answered, 'the server to judge the fake client');
  return { transcript, scalar, alert, linked };
}

describe('MSP v3 with CPace against an active man in the middle (issue 11)', () => {
  it('playing the server to a real client: each wrong guess fails, and no transcript confirms any other candidate offline', async () => {
    const scalars: Scalar[] = [];
    for (const [i, guess] of GUESSES.entries()) {
      const run = await impersonateServer(guess);
      scalars.push(run.scalar);
      expect(run.guessHeld, guess).toBe(false);
      // The client did not connect: it reports a wrong password, and sent nothing sealed.
      expect(await run.linked.client.sendMessage(utf8Encode('secret'))).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
      expect(run.linked.clientEvents.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
      // Nothing in HELLO_REPLY but the suite and a share: no salt, no parameters to aim at.
      expect(packetOf(run.transcript.helloReply).payload).toHaveLength(33);
      // The old attack: test the rest of the list, and the real password, offline. Nothing confirms.
      const remaining = [...GUESSES.slice(i + 1), PASSWORD];
      expect(confirmedPasswords(run.transcript, remaining, scalars), guess).toEqual([]);
      expect(confirmedPasswords(run.transcript, [guess], scalars), guess).toEqual([]); // its own guess was wrong
    }
  });

  it("the guess check is real: when the relay's own run used the right password, it confirms exactly that one (the one online guess)", async () => {
    const run = await impersonateServer(PASSWORD);
    expect(run.guessHeld).toBe(true);
    expect(confirmedPasswords(run.transcript, [...GUESSES, PASSWORD], [run.scalar])).toEqual([PASSWORD]);
    // A right guess is as good as the server, for this one session.
    await waitFor(() => run.linked.client.securityState.lock === 'v3', 'the client to accept the attacker');
  });

  it('playing a client to the real server: each wrong guess gets ALERT 1, counts against the address, and the reply confirms nothing offline', async () => {
    const server = passwordServer(PASSWORD, { limiter: { maxFailures: 3, windowMs: 60_000 } });
    const scalars: Scalar[] = [];
    const alerts: Array<number | undefined> = [];
    for (const [i, guess] of GUESSES.entries()) {
      const run = await impersonateClient(server, guess);
      scalars.push(run.scalar);
      alerts.push(run.alert);
      if (run.transcript) {
        expect(confirmedPasswords(run.transcript, [...GUESSES.slice(i + 1), PASSWORD], scalars), guess).toEqual([]);
        expect(rejections(run.linked.serverEvents)).toEqual(['CRYPTO_ERR_WRONG_PASSWORD']);
      }
    }
    // Three guesses, then the address is refused at HELLO: online guessing is slow as well as single.
    expect(alerts).toEqual([AlertCode.WRONG_PASSWORD, AlertCode.WRONG_PASSWORD, AlertCode.WRONG_PASSWORD, AlertCode.TOO_MANY_FAILURES]);
  });

  it('a passive recording of a whole session gives nothing to test a guess against', async () => {
    const { client, relay } = link({ security: v3Client(PASSWORD) }, { security: passwordServer(PASSWORD) });
    const recorded: Uint8Array[] = [];
    const [up, down] = [new MspDecoder(), new MspDecoder()];
    relay.tamper = (chunk) => {
      recorded.push(...framesOf(up, chunk).map((f) => f.raw));
      return [chunk];
    };
    relay.tamperToClient = (chunk) => {
      recorded.push(...framesOf(down, chunk).map((f) => f.raw));
      return [chunk];
    };
    for (const m of ['one', 'two']) expect(await client.sendMessage(utf8Encode(m))).toMatchObject({ ok: true });
    const byType = (type: number) => recorded.find((f) => f[5] === type)!;
    const transcript = { hello: byType(PacketType.HELLO), helloReply: byType(PacketType.HELLO_REPLY), tagC: packetOf(byType(PacketType.CLIENT_CONFIRM)).payload };
    expect(recorded.filter((f) => f[5] === PacketType.SEALED_DATA)).toHaveLength(2);
    // An eavesdropper knows no scalar of this run; scalars of its own do not help either.
    const ownScalars = Array.from({ length: 3 }, () => sampleScalar());
    expect(confirmedPasswords(transcript, [...GUESSES, PASSWORD], [])).toEqual([]);
    expect(confirmedPasswords(transcript, [...GUESSES, PASSWORD], ownScalars)).toEqual([]);
    client.close();
  });
});
