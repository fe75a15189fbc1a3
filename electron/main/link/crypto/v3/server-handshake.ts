/**
 * The server's half of the MSP v3 handshake (suite 0x02, CPace), without sockets or timers.
 * The server is CPace's responder (party B). A handshake costs it two scalar multiplications
 * and a few hashes: nothing a client can make expensive.
 */
import { PacketType, encodePacket, type Packet } from '../../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import { CPaceParty, type Scalar } from '../cpace/index.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import { channelIdentifier, confirmTag, deriveSessionKeys, passwordBytes, sameTag, transcriptHash, wipeKeys, type SessionKeys } from './keys.ts';
import { AlertCode, decodeConfirm, decodeHello, encodeConfirm, encodeHelloReply } from './messages.ts';
import { SealedTraffic } from './traffic.ts';

/**
 * What a server keeps for v3: the password's PRS. CPace is balanced, so the server needs the
 * password itself (it holds it anyway: it is typed in or read from a file at start).
 */
export interface ServerSecret {
  prs: Uint8Array;
}

/** Cheap: NFC and UTF-8. There is no slow step any more (docs/PROTOCOL.md, "Why no memory-hard step"). */
export function prepareServerSecret(password: string): ServerSecret {
  return { prs: passwordBytes(password) };
}

/** A refusal: the alert to send the client and the error to log. */
export interface Refusal {
  alert: number;
  error: CryptoError;
}

export interface ServerHandshakeOptions {
  /** SHA-256 of our TLS certificate when the link is TLS; empty (the default) otherwise. */
  serverIdentity?: Uint8Array;
  /** Fixed only to reproduce the test vectors: a scalar must never serve two runs. */
  scalar?: Scalar;
}

export class ServerHandshake {
  private th: Buffer | undefined;
  private keys: SessionKeys | undefined;

  constructor(
    private readonly secret: ServerSecret,
    private readonly peer: string,
    private readonly options: ServerHandshakeOptions = {},
  ) {}

  /** HELLO in, HELLO_REPLY out: the server's CPace run starts and finishes here. */
  reply(hello: Packet, helloFrame: Uint8Array): Result<Packet, Refusal> {
    const decoded = decodeHello(hello);
    if (decoded === 'unsupported') {
      return refuse(
        AlertCode.UNSUPPORTED,
        'CRYPTO_ERR_HANDSHAKE',
        `${this.peer} asked for secure-session suite ${hello.payload[0]}; this server speaks only suite 2 (CPace). ` +
          'It may run an older MSP v3 (suite 1 is withdrawn).',
      );
    }
    if (decoded === 'malformed') return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a malformed HELLO.`);
    const inputs = {
      prs: this.secret.prs,
      ci: channelIdentifier(this.options.serverIdentity ?? new Uint8Array(0)),
      sid: decoded.sid,
      ad: new Uint8Array(0),
      role: 'responder' as const,
    };
    const party = this.options.scalar === undefined ? CPaceParty.start(inputs) : CPaceParty.start(inputs, this.options.scalar);
    const cpace = party.finish({ share: decoded.share, ad: new Uint8Array(0) });
    if (!cpace.ok) return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a HELLO whose share was refused: ${cpace.error.message}`);
    const packet = encodeHelloReply(party.message.share);
    this.th = transcriptHash(helloFrame, encodePacket(packet));
    this.keys = deriveSessionKeys(cpace.value.isk, this.th);
    cpace.value.isk.fill(0);
    return ok(packet);
  }

  /** CLIENT_CONFIRM in: a wrong password is known here, one round trip after HELLO_REPLY. */
  confirm(clientConfirm: Packet): Result<{ reply: Packet; traffic: SealedTraffic }, Refusal> {
    const { keys, th } = this;
    if (!keys || !th) return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent CLIENT_CONFIRM before HELLO.`);
    const tag = decodeConfirm(clientConfirm);
    if (!tag) return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a malformed CLIENT_CONFIRM.`);
    if (!sameTag(confirmTag(keys.c2sConfirm, th), tag)) {
      return refuse(AlertCode.WRONG_PASSWORD, 'CRYPTO_ERR_WRONG_PASSWORD', `Wrong password from ${this.peer}: its key confirmation does not match.`);
    }
    return ok({
      reply: encodeConfirm(PacketType.SERVER_CONFIRM, confirmTag(keys.s2cConfirm, th)),
      traffic: new SealedTraffic(keys.s2c, keys.c2s, this.peer),
    });
  }

  wipe(): void {
    wipeKeys(this.keys);
  }
}

function refuse(alert: number, code: CryptoError['code'], message: string): { ok: false; error: Refusal } {
  return fail({ alert, error: cryptoError(code, message) });
}
