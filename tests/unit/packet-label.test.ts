import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileTransferType } from '../../shared/msp/file-transfer.ts';
import { PacketType, packetLabel, packetLabelParts, packetTypeName } from '../../shared/msp/index.ts';

describe('packetLabel: one name for a packet, everywhere it is shown', () => {
  it('names a sealed service message by its wire TYPE and the inner one the session opened', () => {
    expect(packetLabel(PacketType.SEALED_SERVICE, FileTransferType.CHUNK)).toBe('SEALED_SERVICE › FT_CHUNK');
    expect(packetLabel(PacketType.SEALED_SERVICE, FileTransferType.OFFER)).toBe('SEALED_SERVICE › FT_OFFER');
    expect(packetLabel(PacketType.SEALED_SERVICE, PacketType.RC_OUTPUT)).toBe('SEALED_SERVICE › RC_OUTPUT');
    expect(packetLabelParts(PacketType.SEALED_SERVICE, PacketType.RC_RUN)).toEqual({ wire: 'SEALED_SERVICE', inner: 'RC_RUN' });
  });

  it('an inner TYPE without a name is shown as its byte', () => {
    expect(packetLabel(PacketType.SEALED_SERVICE, 0x4e)).toBe('SEALED_SERVICE › 0x4E');
  });

  it('without the inner TYPE (a capture, a bad tag) a sealed message is named as the wire shows it', () => {
    expect(packetLabel(PacketType.SEALED_SERVICE)).toBe('SEALED_SERVICE');
    expect(packetLabelParts(PacketType.SEALED_SERVICE)).toEqual({ wire: 'SEALED_SERVICE' });
  });

  it('every other TYPE is what it says on the wire, whatever inner TYPE is passed', () => {
    expect(packetLabel(PacketType.DATA)).toBe('DATA');
    expect(packetLabel(FileTransferType.CHUNK, FileTransferType.CHUNK)).toBe('FT_CHUNK');
    expect(packetLabel(PacketType.SEALED_DATA, FileTransferType.CHUNK)).toBe('SEALED_DATA');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }), (type, inner) => {
        if (type !== PacketType.SEALED_SERVICE) expect(packetLabel(type, inner)).toBe(packetTypeName(type));
      }),
    );
  });
});
