/**
 * How saved packets and sequences meet a session, the same in the app and the CLI: what goes
 * out, and what a wait sees of what comes in. A DATA goes as a message (its ACK paired, after
 * the previous message's ACK, like the send box's) when the session is secured (sealed: the
 * channel picks VERSION) or when it has the session's own VERSION; anything else goes at once
 * exactly as written (a DATA of another VERSION on a plain link is a crafted packet). A wait sees a sealed DATA or ACK
 * as the DATA or ACK it carries, so one sequence works with and without a password.
 */
import { PacketType, type Packet } from '../../../shared/msp/index.ts';
import { ok, type AppError, type Result } from '../../../shared/result.ts';
import type { Session } from '../link/session.ts';
import type { SequenceOutgoing } from './sequence-runner.ts';

export function sendOutgoing(session: Session, outgoing: SequenceOutgoing, checkMessage: (payload: Uint8Array) => Result<null> = () => ok(null)): Result<null, AppError> {
  if (outgoing.kind === 'raw') {
    const sent = session.sendRaw(outgoing.bytes);
    return sent.ok ? ok(null) : sent;
  }
  const { packet } = outgoing;
  if (packet.type === PacketType.DATA && (session.wireProtection !== 'none' || packet.version === session.version)) {
    const fits = checkMessage(packet.payload);
    if (!fits.ok) return fits;
    if (session.isClosed) return { ok: false, error: { code: 'LINK_ERR_CLOSED', message: `The link to ${session.peer} is closed.` } };
    void session.sendMessage(packet.payload);
    return ok(null);
  }
  const sent = session.sendPacket(packet);
  return sent.ok ? ok(null) : sent;
}

/** What a received packet carries, as its own TYPE: a sealed DATA or ACK is matched as DATA or ACK. */
export function openedPacket(packet: Packet, plaintext: Uint8Array | undefined): Packet {
  if (!plaintext) return packet;
  if (packet.type === PacketType.SEALED_DATA || packet.type === PacketType.ENCRYPTED_DATA) return { ...packet, type: PacketType.DATA, payload: plaintext };
  if (packet.type === PacketType.SEALED_ACK) return { ...packet, type: PacketType.ACK, payload: plaintext };
  return packet;
}
