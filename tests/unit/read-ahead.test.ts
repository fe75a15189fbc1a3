/** The file sender's read-ahead over a real file: slots hold the file's bytes until the peer has them, also when blocks are reused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadAhead } from '../../electron/main/link/services/file-transfer/read-ahead.ts';

const CHUNK = 65_000;
const ROOM = { before: 23, after: 1 };
let dir: string;
let content: Buffer;
let handle: FileHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msp-read-ahead-'));
  content = randomBytes(24 * 1024 * 1024 + 12_345);
  writeFileSync(join(dir, 'f.bin'), content);
  handle = await open(join(dir, 'f.bin'), 'r');
});
afterAll(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const fileBytes = (offset: number, length: number) => content.subarray(offset, offset + length);

describe('ReadAhead', () => {
  it('sends with a window, goes back now and then, recycles acknowledged blocks: every slot not yet acknowledged still holds its bytes', async () => {
    const reader = new ReadAhead(handle, content.length, CHUNK, ROOM);
    const window = 4 * 1024 * 1024;
    const inFlight: Array<{ offset: number; slot: Uint8Array }> = [];
    let acked = 0;
    let next = 0;
    let rewinds = 0;
    while (acked < content.length) {
      while (next < content.length && next - acked < window) {
        const length = Math.min(CHUNK, content.length - next);
        const slot = await reader.read(next, length);
        expect(slot.length).toBe(ROOM.before + length + ROOM.after);
        inFlight.push({ offset: next, slot });
        next += length;
      }
      // Every slot still on its way must hold the file's bytes (none was reused under it).
      for (const { offset, slot } of inFlight) {
        const data = slot.subarray(ROOM.before, slot.length - ROOM.after);
        expect(Buffer.compare(data, fileBytes(offset, data.length))).toBe(0);
      }
      // The peer acknowledges a few chunks; sometimes it asks for a resend from there (go-back-N).
      const step = Math.min(inFlight.length, 1 + (inFlight.length % 3));
      const got = inFlight.splice(0, step);
      acked = got[got.length - 1].offset + got[got.length - 1].slot.length - ROOM.before - ROOM.after;
      reader.recycle(acked);
      if (acked < content.length && acked % 7 === 0 && rewinds < 10) {
        rewinds++;
        inFlight.length = 0;
        next = acked;
      }
    }
    expect(acked).toBe(content.length);
  });
});
