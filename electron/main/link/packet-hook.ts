/**
 * A session's hook for packets it receives: what an auto-responder (electron/main/automation/)
 * plugs in to reply to a packet or to answer it with a broken ACK on purpose. Session stays
 * ignorant of rules: it asks the hook once per received packet whether to ACK as usual.
 */
import type { Result } from '../../../shared/result.ts';
import type { LinkError } from './errors.ts';

/** A packet as the hook sees it: its meaning after the secure channel opened it. */
export interface HookPacket {
  /** DATA for any message (plain, msp-secure.py's ENCRYPTED_DATA, v3's SEALED_DATA), ACK for any ACK, else the TYPE byte. */
  type: number;
  /** The message itself (the plaintext on a secure link). */
  payload: Uint8Array;
  /** Whether the session owes this packet an ACK (a DATA with auto-ACK on). */
  owedAck: boolean;
}

/** What the hook may do on the session that received the packet. */
export interface HookIo {
  readonly peer: string;
  readonly isClosed: boolean;
  /** The ACK the packet would get, as its wire bytes (sealed on a secure link): a fresh copy to bend. */
  ackBytes(): Result<Uint8Array, LinkError>;
  /** Bytes exactly as given, unframed, after any ACK already owed (logged as raw-out). */
  writeRaw(bytes: Uint8Array): void;
  /** A packet of our own: DATA is sealed like any message we send; other TYPEs go as they are. */
  reply(type: number, payload: Uint8Array): void;
  close(error?: LinkError): void;
}

export interface PacketHook {
  /** 'ack': carry on as usual; 'handled': the hook took care of the ACK (sent it bent, later, or not at all). */
  onPacket(packet: HookPacket, io: HookIo): 'ack' | 'handled';
}
