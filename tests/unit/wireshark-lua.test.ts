/** docs/wireshark/msp.lua names TYPE bytes exactly as shared/msp/type-names.ts does: regenerate it (npm run gen:wireshark) when this fails. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCurrentTypeNames } from '../../shared/capture/wireshark-type-table.ts';
import { MSP_TYPE_NAMES, typeDisplayName } from '../../shared/msp/type-names.ts';
import { PacketType } from '../../shared/msp/index.ts';

const lua = readFileSync(new URL('../../docs/wireshark/msp.lua', import.meta.url), 'utf8');

describe('msp.lua type names', () => {
  it('are the ones in shared/msp/type-names.ts (npm run gen:wireshark)', () => {
    expect(withCurrentTypeNames(lua)).toBe(lua);
  });

  it('name every known type, the secure-session ones and the service ranges', () => {
    for (const type of Object.values(PacketType)) expect(MSP_TYPE_NAMES.has(type)).toBe(true);
    expect(typeDisplayName(0x41)).toBe('FT_ACCEPT');
    expect(typeDisplayName(0x55)).toBe('RC_EXIT');
    expect(typeDisplayName(0x4f)).toBe('file transfer 0x4F');
    expect(typeDisplayName(0x5f)).toBe('remote control 0x5F');
    expect(typeDisplayName(0xee)).toBe('0xEE');
    expect(lua).toContain('[0x34] = "SEALED_DATA"');
  });
});
