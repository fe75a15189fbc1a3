/**
 * What a rule does once it matched: reply with its template, or get the packet's ACK wrong on
 * purpose. Each fault is one small function over the ACK's wire bytes, so a test can check
 * that the peer sees exactly that fault.
 */
import type { RuleAction } from '../../../shared/automation/rules.ts';
import { renderTemplate, type TemplatePart } from '../../../shared/automation/rules-template.ts';
import { MAX_PAYLOAD_SIZE, PacketType, parseHex, utf8Encode } from '../../../shared/msp/index.ts';
import { linkError } from '../link/errors.ts';
import type { HookIo } from '../link/packet-hook.ts';
import type { Captures } from './responder-match.ts';

export interface Firing {
  io: HookIo;
  captures: Captures;
  /** How often this rule fired, this time included. */
  counter: number;
  /** The reply template's parts (reply actions only). */
  template?: readonly TemplatePart[];
}

/**
 * Carries out the action. Returns what became of the ACK ('ack': send it as usual) and,
 * when the rule could not do what it says, why.
 */
export function perform(action: RuleAction, firing: Firing, owedAck: boolean): { ack: 'ack' | 'handled'; problem?: string } {
  const io = firing.io;
  if (action.kind === 'reply') return { ack: 'ack', problem: reply(action, firing) };
  if (action.kind === 'close') {
    io.close(linkError('LINK_ERR_CLOSED', `A rule closed the link to ${io.peer} instead of ACKing.`));
    return { ack: 'handled' };
  }
  // The other faults bend an ACK: with none owed (auto-ACK off, not a DATA) there is nothing to bend.
  if (!owedAck) return { ack: 'ack' };
  const ack = io.ackBytes();
  if (!ack.ok) return { ack: 'ack', problem: ack.error.message };
  const bytes = ack.value;
  switch (action.kind) {
    case 'drop-ack':
      return { ack: 'handled' };
    case 'delay-ack':
      later(action.delayMs, io, () => io.writeRaw(bytes));
      return { ack: 'handled' };
    case 'corrupt-crc':
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] + 1) & 0xff;
      io.writeRaw(bytes);
      return { ack: 'handled' };
    case 'corrupt-byte':
      bytes[Math.min(action.offset, bytes.length - 1)] ^= action.xor;
      io.writeRaw(bytes);
      return { ack: 'handled' };
    case 'split-ack':
      splitWrites(io, bytes, action.parts, action.gapMs);
      return { ack: 'handled' };
    case 'duplicate-ack':
      for (let i = 0; i < action.copies; i++) io.writeRaw(bytes);
      return { ack: 'handled' };
    case 'junk-before-ack': {
      const junk = parseHex(action.junk);
      const prefix = junk.ok ? junk.value : new Uint8Array();
      const out = new Uint8Array(prefix.length + bytes.length);
      out.set(prefix, 0);
      out.set(bytes, prefix.length);
      io.writeRaw(out);
      return { ack: 'handled' };
    }
  }
}

/** The reply, after its delay; undefined when it went (or will go), else why not. */
function reply(action: Extract<RuleAction, { kind: 'reply' }>, firing: Firing): string | undefined {
  const text = renderTemplate(firing.template ?? [], { captures: firing.captures, counter: firing.counter, peer: firing.io.peer }, action.format);
  if (text === undefined) return 'the reply would be larger than a packet can carry';
  let payload: Uint8Array;
  if (action.format === 'hex') {
    const parsed = parseHex(text);
    if (!parsed.ok) return `the filled-in hex template is not hex: ${parsed.error.message}`;
    payload = parsed.value;
  } else {
    payload = utf8Encode(text);
  }
  if (payload.length > MAX_PAYLOAD_SIZE) return `the reply has ${payload.length} bytes, more than a packet carries (${MAX_PAYLOAD_SIZE})`;
  const type = action.type ?? PacketType.DATA;
  later(action.delayMs, firing.io, () => firing.io.reply(type, payload));
  return undefined;
}

/** The ACK cut into `parts` pieces of nearly equal size, `gapMs` apart, so each arrives in a read of its own. */
function splitWrites(io: HookIo, bytes: Uint8Array, parts: number, gapMs: number): void {
  const count = Math.min(parts, bytes.length);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = Math.round(((i + 1) * bytes.length) / count);
    const piece = bytes.subarray(start, end);
    start = end;
    if (i === 0) io.writeRaw(piece);
    else later(i * gapMs, io, () => io.writeRaw(piece));
  }
}

/**
 * Runs `then` after `delayMs` (at once for 0, but after the ACKs of the read being decoded),
 * unless the link closed meanwhile.
 */
function later(delayMs: number, io: HookIo, then: () => void): void {
  setTimeout(() => {
    if (!io.isClosed) then();
  }, delayMs);
}
