/**
 * The client's half of the MSP v3 handshake (suite 0x02, CPace), without sockets or timers:
 * HELLO out, HELLO_REPLY in, CLIENT_CONFIRM out, SERVER_CONFIRM in (docs/PROTOCOL.md).
 * The client is CPace's initiator (party A).
 */
import { PacketType, encodePacket, type Packet } from '../../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import { CPaceParty, type Scalar } from '../cpace/index.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import {
  channelIdentifier,
  confirmTag,
  deriveSessionKeys,
  newSid,
  passwordBytes,
  sameTag,
  transcriptHash,
  wipeKeys,
  type SessionKeys,
} from './keys.ts';
import { decodeConfirm, decodeHelloReply, encodeConfirm, encodeHello } from './messages.ts';
import { SealedTraffic } from './traffic.ts';

export interface ClientHandshakeOptions {
  /** SHA-256 of the server's TLS certificate when the link is TLS; empty (the default) otherwise. */
  serverIdentity?: Uint8Array;
  /** Fixed only to reproduce the test vectors; otherwise fresh for every handshake. */
  sid?: Uint8Array;
  /** Fixed only to reproduce the test vectors: a scalar must never serve two runs. */
  scalar?: Scalar;
}

export class ClientHandshake {
  private readonly sid: Uint8Array;
  private readonly party: CPaceParty;
  private helloFrame: Uint8Array | undefined;
  private th: Buffer | undefined;
  private keys: SessionKeys | undefined;

  constructor(
    password: string,
    private readonly peer: string,
    options: ClientHandshakeOptions = {},
  ) {
    this.sid = options.sid ?? newSid();
    const inputs = {
      prs: passwordBytes(password),
      ci: channelIdentifier(options.serverIdentity ?? new Uint8Array(0)),
      sid: this.sid,
      ad: new Uint8Array(0),
      role: 'initiator' as const,
    };
    this.party = options.scalar === undefined ? CPaceParty.start(inputs) : CPaceParty.start(inputs, options.scalar);
  }

  hello(): Packet {
    const packet = encodeHello(this.sid, this.party.message.share);
    this.helloFrame = encodePacket(packet);
    return packet;
  }

  /** Checks the server's HELLO_REPLY, finishes CPace and returns our key confirmation. */
  answer(reply: Packet, replyFrame: Uint8Array): Result<Packet, CryptoError> {
    const decoded = decodeHelloReply(reply);
    if (!decoded || !this.helloFrame) {
      return fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a malformed or unexpected HELLO_REPLY.`));
    }
    const cpace = this.party.finish({ share: decoded.share, ad: new Uint8Array(0) });
    if (!cpace.ok) return fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer}: ${cpace.error.message}`));
    const th = transcriptHash(this.helloFrame, replyFrame);
    this.keys = deriveSessionKeys(cpace.value.isk, th);
    cpace.value.isk.fill(0);
    this.th = th;
    return ok(encodeConfirm(PacketType.CLIENT_CONFIRM, confirmTag(this.keys.c2sConfirm, th)));
  }

  /** Checks the server's key confirmation; when it holds, the session's sealed traffic. */
  finish(confirm: Packet): Result<SealedTraffic, CryptoError> {
    const tag = decodeConfirm(confirm);
    const { keys, th } = this;
    if (!keys || !th || !tag || !sameTag(confirmTag(keys.s2cConfirm, th), tag)) {
      return fail(
        cryptoError(
          'CRYPTO_ERR_SERVER_AUTH',
          `${this.peer} accepted our password but could not prove it knows it: it may be an impostor relaying traffic.`,
        ),
      );
    }
    return ok(new SealedTraffic(keys.c2s, keys.s2c, this.peer));
  }

  /** Forgets the session keys (the session ended). */
  wipe(): void {
    wipeKeys(this.keys);
  }
}
