/** The ways a packet can be copied: hex for tools, a C array for firmware, base64 for text channels. */
import { hexByte, toHex } from '../../../../shared/msp/index.ts';

export type CopyFormat = 'hex' | 'c-array' | 'base64';

export function formatBytes(bytes: Uint8Array, format: CopyFormat): string {
  switch (format) {
    case 'hex':
      return toHex(bytes, ' ');
    case 'c-array':
      return toCArray(bytes);
    case 'base64':
      return toBase64(bytes);
  }
}

export function toCArray(bytes: Uint8Array, name = 'msp_packet'): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 12) {
    const row = Array.from(bytes.subarray(i, i + 12), (b) => `0x${hexByte(b)}`);
    lines.push(`  ${row.join(', ')}${i + 12 < bytes.length ? ',' : ''}`);
  }
  return `const uint8_t ${name}[${bytes.length}] = {\n${lines.join('\n')}\n};`;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode with 65,535 arguments can overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return btoa(binary);
}
