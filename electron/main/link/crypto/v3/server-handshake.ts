/**
 * The server's half of the MSP v3 handshake, without sockets or timers. The slow scrypt
 * step runs once, when the server starts (`prepareServerSecret`); a handshake then costs
 * one X25519 exchange and a few hashes, so a client cannot make the server burn memory.
 */
import { randomBytes } from 'node:crypto';
import { PacketType, encodePacket, type Packet } from '../../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import {
  DEFAULT_KDF,
  MAX_KDF_MEMORY,
  MAX_KDF_P,
  SALT_SIZE,
  confirmTag,
  deriveMaster,
  deriveSessionKeys,
  ephemeralKey,
  kdfMemory,
  sameTag,
  sharedSecret,
  transcriptHash,
  wipeKeys,
  type EphemeralKey,
  type KdfParams,
  type SessionKeys,
} from './keys.ts';
import { AlertCode, decodeConfirm, decodeHello, encodeConfirm, encodeHelloReply } from './messages.ts';
import { SealedTraffic } from './traffic.ts';

/** What a server keeps instead of its password. */
export interface ServerSecret {
  salt: Buffer;
  kdf: KdfParams;
  master: Buffer;
}

/** Runs scrypt once for this server run; `salt` is fixed only to reproduce test vectors. */
export async function prepareServerSecret(
  password: string,
  kdf: KdfParams = DEFAULT_KDF,
  salt: Buffer = randomBytes(SALT_SIZE),
): Promise<ServerSecret> {
  if (kdfMemory(kdf) > MAX_KDF_MEMORY || kdf.p > MAX_KDF_P || kdf.logN < 1 || kdf.r < 1 || kdf.p < 1) {
    throw new RangeError('scrypt parameters out of range');
  }
  return { salt, kdf: { ...kdf }, master: await deriveMaster(password, salt, kdf) };
}

/** A refusal: the alert to send the client and the error to log. */
export interface Refusal {
  alert: number;
  error: CryptoError;
}

export class ServerHandshake {
  private th: Buffer | undefined;
  private keys: SessionKeys | undefined;

  constructor(
    private readonly secret: ServerSecret,
    private readonly peer: string,
    private readonly ephemeral: EphemeralKey = ephemeralKey(),
  ) {}

  /** HELLO in, HELLO_REPLY out. */
  reply(hello: Packet, helloFrame: Uint8Array): Result<Packet, Refusal> {
    const decoded = decodeHello(hello);
    if (decoded === 'unsupported') {
      return refuse(AlertCode.UNSUPPORTED, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} asked for a secure-session suite this server does not know.`);
    }
    const shared = decoded === 'malformed' ? undefined : sharedSecret(this.ephemeral, decoded.publicKey);
    if (!shared) return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent a malformed HELLO.`);
    const packet = encodeHelloReply({ kdf: this.secret.kdf, salt: this.secret.salt, publicKey: this.ephemeral.publicKey });
    this.th = transcriptHash(helloFrame, encodePacket(packet));
    this.keys = deriveSessionKeys(this.secret.master, shared, this.th);
    shared.fill(0);
    return ok(packet);
  }

  /** CLIENT_CONFIRM in: a wrong password is known here, one round trip after HELLO_REPLY. */
  confirm(clientConfirm: Packet): Result<{ reply: Packet; traffic: SealedTraffic }, Refusal> {
    const { keys, th } = this;
    if (!keys || !th) return refuse(AlertCode.PROTOCOL, 'CRYPTO_ERR_HANDSHAKE', `${this.peer} sent CLIENT_CONFIRM before HELLO.`);
    const tag = decodeConfirm(clientConfirm);
    if (!tag || !sameTag(confirmTag(keys.c2sConfirm, th), tag)) {
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
