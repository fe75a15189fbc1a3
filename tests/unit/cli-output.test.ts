/** The CLI's line and JSON fields for a packet: a sealed service message named by its inner TYPE. */
import { describe, expect, it } from 'vitest';
import { describePacket } from '../../electron/cli/output.ts';
import { FileTransferType } from '../../shared/msp/file-transfer.ts';
import { PacketType, utf8Encode } from '../../shared/msp/index.ts';

describe('describePacket', () => {
  it('a SEALED_SERVICE the session opened: the line says which service message, the JSON keeps the wire TYPE and adds inner_type', () => {
    const packet = { version: 3, type: PacketType.SEALED_SERVICE, payload: new Uint8Array(40) };
    const { fields, summary } = describePacket(packet, Uint8Array.of(0xff, 2), FileTransferType.OFFER);
    expect(fields).toMatchObject({ type: 'SEALED_SERVICE', inner_type: 'FT_OFFER', version: 3, length: 47, hex: 'FF02', encrypted: true });
    expect(summary).toBe('SEALED_SERVICE › FT_OFFER v3 (decrypted) hex FF 02');
  });

  it('any other packet is described as before, with no inner_type', () => {
    const { fields, summary } = describePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('hi') }, undefined, 0x43);
    expect(fields).toEqual({ type: 'DATA', version: 1, length: 9, text: 'hi' });
    expect(summary).toBe('DATA v1 "hi"');
  });
});
