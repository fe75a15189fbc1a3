/**
 * A service is one capability of a session beyond framing: messaging (DATA/ACK) is the first;
 * file transfer, remote control and automation are next. Each claims TYPE values and gets the
 * packets of those types already opened by the session's secure channel, so under a secure
 * session every service message is authenticated and encrypted without the service knowing how.
 */
import type { Result } from '../../../../shared/result.ts';
import type { LinkError } from '../errors.ts';

/** What a service is called on the wire and which TYPE values it owns (docs/PROTOCOL.md, "Services"). */
export interface ServiceDescriptor {
  /** Short and stable: "messaging", "file-transfer". At most 32 ASCII characters. */
  id: string;
  version: number;
  /** The TYPE values this service sends and receives (its inner types under a secure session). */
  types: readonly number[];
  /** Runs only on an authenticated session (a password, v3): refused on plain and legacy links. */
  needsAuthentication?: boolean;
  /**
   * `receive` gets a view of the session's read buffer, valid only until it returns, and copies
   * what it keeps: no copy per message for a bulk service (file transfer). Otherwise each
   * payload is the service's own.
   */
  borrowsPayload?: boolean;
}

/** What a service may do on its session. */
export interface ServiceIo {
  /** Sends one message of one of the service's types, sealed when the session is secured. */
  send(type: number, payload: Uint8Array): Result<{ id: number }, LinkError>;
  /** The peer, as logs show it ("127.0.0.1:50123", "/dev/ttyUSB0"). */
  readonly peer: string;
  /** True when the session's channel authenticates the peer (v3 with a password). */
  readonly authenticated: boolean;
  /** Another service of this session by its id: remote control's get-file and put-file use the session's file transfer. */
  sibling(id: string): Service | undefined;
  /**
   * Bytes the session may still queue for the peer (written, not yet taken by the OS) before it
   * drops the link as a slow reader: a bulk sender (file transfer) sends only while there is room.
   */
  readonly queueRoom?: number;
  /** Hears each UNSUPPORTED the peer sends (a service waiting for an answer ends it); returns the unsubscribe. */
  onUnsupported?(listener: (unsupported: { type: number; reason: number }) => void): () => void;
}

export interface Service {
  readonly descriptor: ServiceDescriptor;
  /** The session is up (for a secure session: the handshake is done). */
  attach(io: ServiceIo): void;
  /** One message of one of the service's types, opened by the channel. */
  receive(type: number, payload: Uint8Array): void;
  /** The session ended: stop timers, settle what waits. */
  detach(reason: LinkError): void;
}
