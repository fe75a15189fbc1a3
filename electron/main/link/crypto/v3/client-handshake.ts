/**
 * The client's half of the MSP v3 handshake, without sockets or timers:
 * HELLO out, HELLO_REPLY in, CLIENT_CONFIRM out, SERVER_CONFIRM in (docs/PROTOCOL.md).
 */
import { PacketType, encodePacket, type Packet } from '../../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import {
  DEFAULT_KDF,
  confirmTag,
  deriveMaster,
  deriveSessionKeys,
  describeKdf,
  ephemeralKey,
  kdfProblem,
  sameTag,
  sharedSecret,
  transcriptHash,
  wipeKeys,
  type EphemeralKey,
  type KdfParams,
  type SessionKeys,
} from './keys.ts';
import { decodeConfirm, decodeHelloReply, encodeConfirm, encodeHello } from './messages.ts';
import { SealedTraffic } from './traffic.ts';

export interface ClientHandshakeOptions {
  /** The weakest scrypt parameters accepted from a server: DEFAULT_KDF unless a test lowers it. */
  minKdf?: KdfParams;
  /** Fixed only to reproduce the test vectors; otherwise fresh for every handshake. */
  ephemeral?: EphemeralKey;
}

export class ClientHandshake {
  private readonly ephemeral: EphemeralKey;
  private readonly minKdf: KdfParams;
  /** Needed until scrypt has run, then dropped. */
  private password: string | undefined;
  private helloFrame: Uint8Array | undefined;
  private th: Buffer | undefined;
  private keys: SessionKeys | undefined;

  constructor(
    password: string,
    private readonly peer: string,
    options: ClientHandshakeOptions = {},
  ) {
    this.password = password;
    this.ephemeral = options.ephemeral ?? ephemeralKey();
    this.minKdf = options.minKdf ?? DEFAULT_KDF;
  }

  hello(): Packet {
    const packet = encodeHello(this.ephemeral.publicKey);
    this.helloFrame = encodePacket(packet);
    return packet;
  }

  /** Checks the server's HELLO_REPLY, runs scrypt and returns our key confirmation. */
  async answer(reply: Packet, replyFrame: Uint8Array): Promise<Result<Packet, CryptoError>> {
    const password = this.password;
    this.password = undefined;
    const decoded = decodeHelloReply(reply);
    if (!decoded || !this.helloFrame || password === undefined) {
      return fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a malformed or unexpected HELLO_REPLY.`));
    }
    const problem = kdfProblem(decoded.kdf, this.minKdf);
    if (problem) {
      return fail(cryptoError('CRYPTO_ERR_WEAK_KDF', `${this.peer} asked for ${describeKdf(decoded.kdf)}, ${problem}; refused.`));
    }
    const shared = sharedSecret(this.ephemeral, decoded.publicKey);
    if (!shared) return fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} sent an invalid X25519 public key.`));
    const th = transcriptHash(this.helloFrame, replyFrame);
    let master: Buffer;
    try {
      master = await deriveMaster(password, decoded.salt, decoded.kdf);
    } catch (error) {
      return fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `Could not run scrypt: ${(error as Error).message}`));
    }
    this.keys = deriveSessionKeys(master, shared, th);
    this.th = th;
    master.fill(0);
    shared.fill(0);
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

  /** Forgets every secret (the session ended). */
  wipe(): void {
    this.password = undefined;
    wipeKeys(this.keys);
  }
}
