/**
 * Named starting points for a serial link: line settings plus how gently to send.
 * A preset fills a form (or the CLI's defaults); anything set explicitly wins.
 */
import { MAX_PACKET_SIZE } from '../../../shared/msp/index.ts';
import type { LineSettings } from './serial-settings.ts';

export interface SerialPreset {
  id: string;
  name: string;
  description: string;
  line: LineSettings;
  /** Pause after each packet we send has left the port (ms): time for a slow receiver to catch up. */
  packetGapMs: number;
  /** Largest packet (LENGTH) sent or accepted: old machines have small receive buffers. */
  maxPacketSize: number;
}

export const SERIAL_PRESETS: readonly SerialPreset[] = [
  {
    id: 'freedos',
    name: 'FreeDOS / retro PC',
    description:
      '9600 8N1, no flow control, a 20 ms pause between packets and packets of at most 1024 bytes (the original msp.py reads 1024 bytes at a time).',
    line: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    packetGapMs: 20,
    maxPacketSize: 1024,
  },
  {
    id: 'slow-retro',
    name: '8088 / very old PC',
    description: '2400 8N1, no flow control, a 50 ms pause between packets and packets of at most 256 bytes.',
    line: { baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    packetGapMs: 50,
    maxPacketSize: 256,
  },
  {
    id: 'usb-serial',
    name: 'USB serial adapter / microcontroller',
    description: '115200 8N1, no flow control, no pause, any packet size.',
    line: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    packetGapMs: 0,
    maxPacketSize: MAX_PACKET_SIZE,
  },
];

export function findSerialPreset(id: string): SerialPreset | undefined {
  return SERIAL_PRESETS.find((preset) => preset.id === id);
}
