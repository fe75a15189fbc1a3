/**
 * The secure channel of a server with a password. Each connection chooses once, by its
 * first secure packet: an MSP v3 handshake (HELLO), or msp-secure.py's ENCRYPTED_DATA
 * (unless legacy is off). Plaintext DATA is refused: no ACK, a log entry.
 *
 * Under the legacy scheme a failed decryption closes the connection, and an address with
 * too many failed passwords (legacy or v3) is refused for a while: the CBC padding oracle
 * and online guessing both need many tries.
 */
import { MAX_PAYLOAD_SIZE, PacketType, VERSION_SECURE, isServiceType, type Packet } from '../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../shared/result.ts';
import type { LinkError } from '../errors.ts';
import type { ChannelIo, PacketProtection, Received, SecureChannel, Security } from '../secure-channel.ts';
import { cryptoError, type CryptoError } from './errors.ts';
import { FailureLimiter, addressOf, type Attempt, type AttemptRefusal, type FailureLimiterOptions } from './failure-limiter.ts';
import { legacyDecrypt, legacyEncrypt, legacyKey } from './legacy.ts';
import { AlertCode, SEALED_ACK_TEXT, encodeAlert, isV3 } from './v3/messages.ts';
import { ServerHandshake, prepareServerSecret, type ServerSecret } from './v3/server-handshake.ts';
import { openedMessage } from './v3/opened-message.ts';
import { servicePlaintext, type SealedTraffic } from './v3/traffic.ts';
import type { WireProtection } from '../wire-size.ts';

export interface PasswordServerOptions {
  password: string;
  /** Also accept msp-secure.py's AES-CBC scheme: only when asked for (default false). */
  allowLegacy?: boolean;
  /** msp-secure.py clients' password when it differs from v3's (it should: legacy leaks it). */
  legacyPassword?: string;
  limiter?: FailureLimiterOptions;
  /** A client that sent HELLO must confirm within this time (ms), or it is disconnected. */
  handshakeTimeoutMs?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/** What every connection of one server shares: the password only as v3's PRS. */
interface ServerPolicy {
  v3: ServerSecret;
  /** SHA-256(password), only when legacy clients are accepted. */
  legacyKey: Buffer | undefined;
  limiter: FailureLimiter;
  handshakeTimeoutMs: number;
}

/**
 * The `security` setting for every session of the server (TcpServer's `session.security`):
 * each connection gets its own channel. Over TLS the server passes its certificate's
 * fingerprint as `serverIdentity`, which v3 binds into the handshake.
 */
export function passwordServerSecurity(options: PasswordServerOptions): Security {
  const policy: ServerPolicy = {
    v3: prepareServerSecret(options.password),
    legacyKey: options.allowLegacy === true ? legacyKey(options.legacyPassword ?? options.password) : undefined,
    limiter: new FailureLimiter(options.limiter),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
  };
  return { create: (peer, { serverIdentity }) => new PasswordServerChannel(policy, peer, serverIdentity) };
}

type Mode = 'undecided' | 'legacy' | 'v3-handshake' | 'v3' | 'ended';

const LEGACY_ACK: Packet = { version: VERSION_SECURE, type: PacketType.ACK, payload: SEALED_ACK_TEXT };

export class PasswordServerChannel implements SecureChannel {
  private mode: Mode = 'undecided';
  private handshake: ServerHandshake | undefined;
  private traffic: SealedTraffic | undefined;
  private readonly address: string;
  private io: ChannelIo | undefined;
  /** Runs from HELLO to CLIENT_CONFIRM: a half-done handshake does not hold a connection forever. */
  private handshakeTimer: NodeJS.Timeout | undefined;
  /** This connection's password attempt, counted against its address until it succeeds. */
  private attempt: Attempt | undefined;

  constructor(
    private readonly policy: ServerPolicy,
    private readonly peer: string,
    /** SHA-256 of our TLS certificate when the link is TLS, else undefined (empty in the handshake). */
    private readonly serverIdentity?: Uint8Array,
  ) {
    this.address = addressOf(peer);
  }

  get protection(): PacketProtection {
    return this.mode === 'v3' ? 'v3' : this.mode === 'legacy' ? 'legacy-weak' : 'none';
  }

  /** Until the client's first secure packet we do not know which scheme our DATA will use. */
  get wireProtection(): WireProtection {
    const now = this.protection;
    return now === 'none' ? 'unsettled' : now;
  }

  readonly passesPlainData = false;

  get authenticated(): boolean {
    return this.mode === 'v3';
  }

  start(io: ChannelIo): void {
    this.io = io; // the client speaks first
  }

  receive(packet: Packet, frame: Uint8Array): Received {
    switch (packet.type) {
      case PacketType.DATA:
        return refuse('CRYPTO_ERR_PLAINTEXT_REFUSED', `Refused plaintext DATA from ${this.peer}: this server requires a password (no ACK sent).`);
      case PacketType.ENCRYPTED_DATA:
        return this.receiveLegacy(packet);
      case PacketType.ACK:
        // msp-secure.py's ACKs are plaintext; in a v3 session an unsealed ACK could be forged.
        if (this.mode === 'legacy') return { kind: 'ack', plaintext: packet.payload.slice() };
        return refuse('CRYPTO_ERR_PLAINTEXT_REFUSED', `Refused a plaintext ACK from ${this.peer}: it acknowledges nothing here.`);
      case PacketType.HELLO:
        return this.receiveHello(packet, frame);
      case PacketType.CLIENT_CONFIRM:
        return this.receiveConfirm(packet);
      case PacketType.SEALED_DATA:
      case PacketType.SEALED_ACK:
      case PacketType.SEALED_SERVICE:
        return this.receiveSealed(packet);
      case PacketType.ALERT:
        return end(cryptoError('CRYPTO_ERR_PEER_REJECTED', `${this.peer} ended the secure session (it sent an alert).`), []);
      default:
        if (packet.type > PacketType.HELLO && packet.type < PacketType.ALERT) return this.protocolError();
        // A service message in the clear on a server that requires a password: as plaintext DATA.
        if (isServiceType(packet.type)) {
          return refuse('CRYPTO_ERR_PLAINTEXT_REFUSED', `Refused a plaintext service message from ${this.peer}: this server requires a password.`);
        }
        return { kind: 'ignored' };
    }
  }

  whenReady(): Promise<LinkError | undefined> {
    return Promise.resolve(undefined); // a server never waits: sealData says when it cannot
  }

  sealData(payload: Uint8Array): Result<Packet, LinkError> {
    if (this.mode === 'v3' && this.traffic) {
      const sealed = this.traffic.seal(PacketType.SEALED_DATA, payload);
      return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
    }
    if (this.mode === 'legacy' && this.policy.legacyKey) {
      const size = 16 + (Math.floor(payload.length / 16) + 1) * 16; // IV + PKCS7-padded blocks
      if (size > MAX_PAYLOAD_SIZE) {
        return fail(cryptoError('CRYPTO_ERR_TOO_LARGE', `The message is ${payload.length} bytes, too large once encrypted for msp-secure.py.`));
      }
      return ok({ version: VERSION_SECURE, type: PacketType.ENCRYPTED_DATA, payload: legacyEncrypt(this.policy.legacyKey, payload) });
    }
    return fail(cryptoError('CRYPTO_ERR_NOT_READY', `${this.peer} has not opened a secure session yet.`));
  }

  sealAck(): Result<Packet, LinkError> {
    if (this.mode === 'legacy') return ok(LEGACY_ACK);
    if (this.mode !== 'v3' || !this.traffic) return fail(cryptoError('CRYPTO_ERR_NOT_READY', `${this.peer} has not opened a secure session yet.`));
    const sealed = this.traffic.seal(PacketType.SEALED_ACK, SEALED_ACK_TEXT);
    return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
  }

  sealService(type: number, payload: Uint8Array): Result<Packet, LinkError> {
    if (this.mode === 'v3' && this.traffic) {
      const sealed = this.traffic.seal(PacketType.SEALED_SERVICE, servicePlaintext(type, payload));
      return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
    }
    return fail(cryptoError('CRYPTO_ERR_NOT_READY', `No services with ${this.peer} until it opens an MSP v3 secure session.`));
  }

  stop(_reason: LinkError): void {
    clearTimeout(this.handshakeTimer);
    this.mode = 'ended';
    this.attempt?.end();
    this.handshake?.wipe();
    this.traffic = undefined;
  }

  private receiveLegacy(packet: Packet): Received {
    const key = this.policy.legacyKey;
    if (!key) {
      return refuse(
        'CRYPTO_ERR_LEGACY_REFUSED',
        `Refused msp-secure.py's encrypted DATA from ${this.peer}: this server accepts only v3 secure sessions (no ACK sent).`,
      );
    }
    if (this.mode !== 'undecided' && this.mode !== 'legacy') {
      return end(cryptoError('CRYPTO_ERR_LEGACY_REFUSED', `${this.peer} sent msp-secure.py's encrypted DATA inside a v3 session.`), [
        AlertCode.PROTOCOL,
      ]);
    }
    if (this.mode === 'undecided') {
      const started = this.policy.limiter.start(this.peer);
      if (!started.ok) return end(this.refusal(started.why), []);
      this.attempt = started.attempt;
    }
    const plain = legacyDecrypt(key, packet.payload);
    if (!plain.ok) {
      return end(
        cryptoError('CRYPTO_ERR_LEGACY_DECRYPT', `${plain.error.message} (msp-secure.py's scheme, from ${this.peer}: no ACK, connection closed)`),
        [],
      );
    }
    if (this.mode === 'undecided') {
      this.attempt?.succeeded();
      this.attempt?.end();
    }
    this.mode = 'legacy';
    return { kind: 'data', plaintext: plain.value };
  }

  private receiveHello(packet: Packet, frame: Uint8Array): Received {
    if (!isV3(packet, PacketType.HELLO) || this.mode !== 'undecided') return this.protocolError();
    const started = this.policy.limiter.start(this.peer);
    if (!started.ok) return end(this.refusal(started.why), [started.why === 'too-many-concurrent' ? AlertCode.BUSY : AlertCode.TOO_MANY_FAILURES]);
    this.attempt = started.attempt;
    this.handshake = new ServerHandshake(this.policy.v3, this.peer, this.serverIdentity ? { serverIdentity: this.serverIdentity } : {});
    const reply = this.handshake.reply(packet, frame);
    if (!reply.ok) return end(reply.error.error, [reply.error.alert]);
    this.mode = 'v3-handshake';
    const timeoutMs = this.policy.handshakeTimeoutMs;
    this.handshakeTimer = setTimeout(() => {
      if (this.mode !== 'v3-handshake') return;
      this.io?.fail(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} started a secure handshake and did not finish it within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    this.handshakeTimer.unref?.();
    return { kind: 'handshake', replies: [reply.value] };
  }

  private receiveConfirm(packet: Packet): Received {
    if (!isV3(packet, PacketType.CLIENT_CONFIRM) || this.mode !== 'v3-handshake' || !this.handshake) return this.protocolError();
    clearTimeout(this.handshakeTimer);
    // Checked again: handshakes opened in parallel may have used up this address's allowance meanwhile.
    if (this.attempt?.blocked()) return end(this.refusal('too-many-failures'), [AlertCode.TOO_MANY_FAILURES]);
    const confirmed = this.handshake.confirm(packet);
    if (!confirmed.ok) return end(confirmed.error.error, [confirmed.error.alert]); // the attempt stays counted
    this.attempt?.succeeded();
    this.attempt?.end();
    this.traffic = confirmed.value.traffic;
    this.mode = 'v3';
    return { kind: 'handshake', replies: [confirmed.value.reply] };
  }

  private receiveSealed(packet: Packet): Received {
    if (this.mode !== 'v3' || !this.traffic) return this.protocolError();
    const opened = this.traffic.open(packet);
    if (!opened.ok) return end(opened.error, [AlertCode.REJECTED]);
    return openedMessage(opened.type, opened.plaintext);
  }

  private protocolError(): Received {
    return end(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} sent an unexpected or malformed secure-session packet.`), [
      AlertCode.PROTOCOL,
    ]);
  }

  private refusal(why: AttemptRefusal): CryptoError {
    return why === 'too-many-concurrent'
      ? cryptoError('CRYPTO_ERR_TOO_MANY_FAILURES', `Refused ${this.peer}: too many secure handshakes at once from ${this.address}.`)
      : cryptoError('CRYPTO_ERR_TOO_MANY_FAILURES', `Refused ${this.peer}: too many wrong passwords from ${this.address} recently.`);
  }
}

function refuse(code: CryptoError['code'], message: string): Received {
  return { kind: 'rejected', error: cryptoError(code, message), replies: [], close: false };
}

function end(error: CryptoError, alerts: number[]): Received {
  return { kind: 'rejected', error, replies: alerts.map(encodeAlert), close: true };
}
