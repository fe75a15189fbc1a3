/**
 * A client's MSP v3 secure channel, plugged into a Session: runs the handshake with
 * timeouts, then seals and opens every packet. It never falls back to plaintext or to
 * msp-secure.py's scheme: a server that does not answer gets a clear error instead.
 */
import { PacketType, type Packet } from '../../../../../shared/msp/index.ts';
import { type Result } from '../../../../../shared/result.ts';
import { fail, ok } from '../../../../../shared/result.ts';
import type { LinkError } from '../../errors.ts';
import type { ChannelIo, PacketProtection, Received, SecureChannel, Security } from '../../secure-channel.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import { ClientHandshake, type ClientHandshakeOptions } from './client-handshake.ts';
import { AlertCode, SEALED_ACK_TEXT, alertError, decodeAlert, encodeAlert, isV3 } from './messages.ts';
import { openedMessage } from './opened-message.ts';
import { servicePlaintext, type SealedTraffic } from './traffic.ts';

export interface V3ClientOptions extends ClientHandshakeOptions {
  password: string;
  /** How long the server may take to answer each handshake step (ms). */
  timeoutMs: number;
}

/**
 * The `security` setting of a client Session that opens an MSP v3 secure session. Over TLS the
 * link passes the server certificate's fingerprint, which the handshake binds (CPace's CI).
 */
export function v3ClientSecurity(options: V3ClientOptions): Security {
  return {
    create: (peer, { serverIdentity }) => new V3ClientChannel(peer, serverIdentity ? { ...options, serverIdentity } : options),
  };
}

type State = 'idle' | 'hello-sent' | 'confirm-sent' | 'established' | 'ended';

export class V3ClientChannel implements SecureChannel {
  private state: State = 'idle';
  private readonly handshake: ClientHandshake;
  private traffic: SealedTraffic | undefined;
  private io: ChannelIo | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set once DATA may be sealed (error undefined) or never will be. */
  private outcome: { error: LinkError | undefined } | undefined;
  private readonly waiters: Array<(error: LinkError | undefined) => void> = [];
  private readonly timeoutMs: number;

  constructor(
    private readonly peer: string,
    options: V3ClientOptions,
  ) {
    // Only the handshake holds the password (as CPace's generator), until the session ends.
    this.handshake = new ClientHandshake(options.password, peer, options);
    this.timeoutMs = options.timeoutMs;
  }

  get protection(): PacketProtection {
    return this.state === 'established' ? 'v3' : 'none';
  }

  /** Nothing is sent before the handshake: every DATA goes out sealed. */
  readonly wireProtection = 'v3';
  readonly passesPlainData = false;

  get authenticated(): boolean {
    return this.state === 'established';
  }

  start(io: ChannelIo): void {
    this.io = io;
    this.state = 'hello-sent';
    io.send(this.handshake.hello());
    this.armTimer('hello-sent', noHandshake(this.peer, `did not answer the secure handshake within ${this.timeoutMs / 1000} s`));
  }

  receive(packet: Packet, frame: Uint8Array): Received {
    const { type } = packet;
    if (this.state === 'established' && (type === PacketType.SEALED_DATA || type === PacketType.SEALED_ACK || type === PacketType.SEALED_SERVICE)) {
      const opened = this.traffic!.open(packet);
      if (!opened.ok) return end(opened.error, [AlertCode.REJECTED]);
      return openedMessage(opened.type, opened.plaintext);
    }
    if (isV3(packet, PacketType.ALERT)) return end(alertError(decodeAlert(packet), this.peer), []);
    if (isV3(packet, PacketType.HELLO_REPLY) && this.state === 'hello-sent') {
      const confirm = this.handshake.answer(packet, frame);
      if (!confirm.ok) return end(confirm.error, [AlertCode.PROTOCOL]);
      this.state = 'confirm-sent';
      this.armTimer(
        'confirm-sent',
        cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} did not finish the secure handshake within ${this.timeoutMs / 1000} s.`),
      );
      return { kind: 'handshake', replies: [confirm.value] };
    }
    if (isV3(packet, PacketType.SERVER_CONFIRM) && this.state === 'confirm-sent') {
      const finished = this.handshake.finish(packet);
      if (!finished.ok) return end(finished.error, [AlertCode.REJECTED]);
      clearTimeout(this.timer);
      this.traffic = finished.value;
      this.state = 'established';
      this.settle(undefined);
      return { kind: 'handshake', replies: [] };
    }
    if (type === PacketType.ACK && this.state === 'hello-sent') {
      // Something that ACKs anything: not a v3 server. Never fall back silently.
      return end(noHandshake(this.peer, 'answered the secure handshake with a plaintext ACK'), []);
    }
    if (type === PacketType.DATA || type === PacketType.ACK || type === PacketType.ENCRYPTED_DATA) {
      return {
        kind: 'rejected',
        error: cryptoError('CRYPTO_ERR_PLAINTEXT_REFUSED', `Refused a packet from ${this.peer} that is not sealed: this is a v3 secure session.`),
        replies: [],
        close: false,
      };
    }
    if (type >= PacketType.HELLO && type <= PacketType.ALERT) {
      return end(cryptoError('CRYPTO_ERR_HANDSHAKE', `${this.peer} sent an unexpected or malformed secure-session packet.`), [AlertCode.PROTOCOL]);
    }
    return { kind: 'ignored' };
  }

  whenReady(): Promise<LinkError | undefined> {
    if (this.outcome) return Promise.resolve(this.outcome.error);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  sealData(payload: Uint8Array): Result<Packet, LinkError> {
    if (!this.traffic || this.state !== 'established') {
      return fail(cryptoError('CRYPTO_ERR_NOT_READY', `The secure session with ${this.peer} is not open.`));
    }
    const sealed = this.traffic.seal(PacketType.SEALED_DATA, payload);
    return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
  }

  sealAck(): Result<Packet, LinkError> {
    if (!this.traffic) return fail(cryptoError('CRYPTO_ERR_NOT_READY', `The secure session with ${this.peer} is not open.`));
    const sealed = this.traffic.seal(PacketType.SEALED_ACK, SEALED_ACK_TEXT);
    return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
  }

  sealService(type: number, payload: Uint8Array): Result<Packet, LinkError> {
    if (!this.traffic || this.state !== 'established') {
      return fail(cryptoError('CRYPTO_ERR_NOT_READY', `The secure session with ${this.peer} is not open.`));
    }
    const sealed = this.traffic.seal(PacketType.SEALED_SERVICE, servicePlaintext(type, payload));
    return sealed.ok ? ok(sealed.packet) : fail(sealed.error);
  }

  stop(reason: LinkError): void {
    if (this.state === 'ended') return;
    const was = this.state;
    this.state = 'ended';
    clearTimeout(this.timer);
    this.handshake.wipe();
    this.traffic = undefined;
    // A server that hangs up on our HELLO (the original chokes on its binary payload) is no v3 server.
    const lost = was === 'hello-sent' && (reason.code === 'LINK_ERR_CLOSED' || reason.code === 'LINK_ERR_RESET');
    this.settle(lost ? noHandshake(this.peer, 'closed the connection without answering the secure handshake') : reason);
  }

  private armTimer(state: State, error: CryptoError): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.state === state) this.io?.fail(error);
    }, this.timeoutMs);
    this.timer.unref?.();
  }

  private settle(error: LinkError | undefined): void {
    this.outcome = { error };
    for (const waiter of this.waiters.splice(0)) waiter(error);
  }
}

/** The session ends with `error`, after telling the peer why (when `alerts` names a reason). */
function end(error: CryptoError, alerts: number[]): Received {
  return { kind: 'rejected', error, replies: alerts.map(encodeAlert), close: true };
}

function noHandshake(peer: string, what: string): CryptoError {
  return cryptoError(
    'CRYPTO_ERR_NO_HANDSHAKE',
    `${peer} ${what}. It may not speak MSP v3 (the original msp-secure.py does not), it may expect TLS, ` +
      'or something between us drops the handshake. Nothing was sent. The scheme is chosen in the connection ' +
      'settings (on the command line: --legacy).',
  );
}
