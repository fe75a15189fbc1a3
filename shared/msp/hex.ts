/** Hex text in and out: what people type in the send box and read in logs. */

import type { MspInputErrorCode } from '../errors/msp.ts';
import type { Result } from '../result.ts';

const HEX = '0123456789ABCDEF';

export function toHex(bytes: Uint8Array, separator = ' '): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return parts.join(separator);
}

/** Hex that is not hex: `position` is the offending character's index in the text. */
export interface HexError {
  code: MspInputErrorCode;
  message: string;
  position: number;
}

/** One byte as two upper-case hex digits: "0A". */
export function hexByte(n: number): string {
  return HEX[(n >> 4) & 15] + HEX[n & 15];
}

/** A number as upper-case hex, padded to `digits`: hexDigits(0x1a, 4) is "001A". */
export function hexDigits(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

export type HexParseResult = Result<Uint8Array, HexError>;

/**
 * Parses hex such as `AA 55 00 07`, `aa550007`, `0xAA,0x55` or `AA:55`. Separators
 * (space, comma, colon, dash, newline) and `0x` prefixes are allowed between bytes;
 * `position` points at the first offending character so an editor can mark it.
 */
export function parseHex(text: string): HexParseResult {
  const out: number[] = [];
  let i = 0;
  let pendingNibble = -1;
  let pendingPos = 0;
  while (i < text.length) {
    const ch = text[i];
    if (pendingNibble < 0 && (ch === '0') && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) {
      i += 2;
      continue;
    }
    const value = hexValue(ch);
    if (value >= 0) {
      if (pendingNibble < 0) {
        pendingNibble = value;
        pendingPos = i;
      } else {
        out.push((pendingNibble << 4) | value);
        pendingNibble = -1;
      }
    } else if (/[\s,:;-]/.test(ch)) {
      if (pendingNibble >= 0) return oddDigit(pendingPos);
    } else {
      return {
        ok: false,
        error: { code: 'MSP_ERR_BAD_HEX', message: `"${ch}" at column ${i + 1} is not a hex digit.`, position: i },
      };
    }
    i++;
  }
  if (pendingNibble >= 0) return oddDigit(pendingPos);
  return { ok: true, value: Uint8Array.from(out) };
}

function oddDigit(position: number): HexParseResult {
  return {
    ok: false,
    error: {
      code: 'MSP_ERR_BAD_HEX',
      message: `The byte at column ${position + 1} has one hex digit; a byte needs two.`,
      position,
    },
  };
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && hexValue(ch) >= 0;
}

function hexValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
