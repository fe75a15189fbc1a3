/**
 * What the send box means: the renderer uses it for the live wire preview and the main
 * process uses it again to send, so what you see is exactly what goes on the wire.
 */
import {
  PacketType,
  VERSION_PLAIN,
  parseHex,
  tryEncodePacket,
  utf8Encode,
} from '../msp/index.ts';
import type { Result } from '../result.ts';

/** text: UTF-8 payload in a DATA packet; hex: payload bytes typed as hex, framed; raw: bytes sent exactly as typed, unframed. */
export type SendFormat = 'text' | 'hex' | 'raw';

export type Outgoing =
  /** A DATA packet: the link frames it (and may encrypt it) and waits for its ACK. */
  | { kind: 'message'; payload: Uint8Array; wire: Uint8Array }
  /** Bytes written as they are, no framing and no ACK expected. */
  | { kind: 'raw'; wire: Uint8Array };

export interface ComposeError {
  code: 'MSP_ERR_BAD_HEX' | 'MSP_ERR_PAYLOAD_TOO_LARGE' | 'SEND_ERR_EMPTY';
  message: string;
  /** For bad hex: the index of the offending character in the input. */
  position?: number;
}

export type ComposeResult = Result<Outgoing, ComposeError>;

export function composeOutgoing(format: SendFormat, input: string, version = VERSION_PLAIN): ComposeResult {
  let payload: Uint8Array;
  if (format === 'text') {
    payload = utf8Encode(input);
  } else {
    const parsed = parseHex(input);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    payload = parsed.value;
    if (format === 'raw') {
      if (payload.length === 0) return { ok: false, error: { code: 'SEND_ERR_EMPTY', message: 'Type the bytes to send, in hex.' } };
      return { ok: true, value: { kind: 'raw', wire: payload } };
    }
  }
  const encoded = tryEncodePacket({ version, type: PacketType.DATA, payload });
  if (!encoded.ok) return { ok: false, error: { code: 'MSP_ERR_PAYLOAD_TOO_LARGE', message: encoded.error.message } };
  return { ok: true, value: { kind: 'message', payload, wire: encoded.value } };
}
