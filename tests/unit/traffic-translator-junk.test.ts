/** The log's view of rejected frames and junk: a prefix and a length each, and one row per suppressed summary. */
import { describe, expect, it } from 'vitest';
import { TrafficTranslator } from '../../electron/main/app/traffic-translator.ts';
import { Session, type SessionEvent } from '../../electron/main/link/session.ts';
import { payloadLabel } from '../../renderer/src/features/log/cells.ts';
import { makeRecord, spanOf } from '../../renderer/src/features/log/logRecord.ts';
import { translate, type Language, type Translate } from '../../renderer/src/i18n/translate.ts';
import type { LogEntry } from '../../shared/ipc/types.ts';
import { DETAILED_REJECTS, REJECT_PREFIX_BYTES } from '../../shared/msp/index.ts';
import { duplexPair } from '../helpers/duplex.ts';
import { waitFor } from '../helpers/wait.ts';

const createTranslator = (language: Language): Translate => (key, params) => translate(language, key, params);

function flood(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4) out.set([0xaa, 0x55, 0xff, 0xff], i);
  return out;
}

describe('traffic translator: junk floods', () => {
  it('256 KiB of AA 55 FF FF becomes a few rows, each bad frame a prefix with its length, then suppressed summaries', async () => {
    const [ours, theirs] = duplexPair();
    const events: SessionEvent[] = [];
    const session = new Session(ours, { peer: 'p', autoAck: false, observer: (e) => events.push(e) });
    theirs.write(flood(256 * 1024));
    await waitFor(() => session.stats.bytesIn === 256 * 1024, 'the flood to arrive');
    session.close();
    const translator = new TrafficTranslator('p');
    const entries = events.flatMap((e) => {
      const out = translator.translate(e);
      return out?.kind === 'entry' ? [out.entry] : [];
    });
    const bad = entries.filter((e) => e.kind === 'bad-frame');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThanOrEqual(DETAILED_REJECTS);
    expect(bad[0].raw.length).toBe(REJECT_PREFIX_BYTES);
    expect(spanOf(bad[0])).toBe(0xffff);
    const summaries = entries.filter((e): e is LogEntry & { suppressed: { frames: number; bytes: number } } => e.kind === 'suppressed' && !!e.suppressed);
    expect(summaries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(30);
    // Reported or counted, every byte but the unfinished frame at the end (the close gives it up).
    const counted = entries.reduce((n, e) => n + (e.suppressed ? e.suppressed.bytes : e.kind === 'bad-frame' ? 0 : spanOf(e)), 0);
    const covered = bad.reduce((n, e) => n + Math.min(spanOf(e), 4), 0); // each bad frame's own 4 bytes, folded into its row
    expect(counted + covered).toBeLessThanOrEqual(256 * 1024);
    expect(counted + covered).toBeGreaterThan(256 * 1024 - 0x10000);

    const t = createTranslator('en');
    const summary = payloadLabel(makeRecord(1, summaries[0]), t).text;
    expect(summary).toMatch(/^\d+ more bad frames and \d+ more junk bytes since the last good packet/);
    const ja = payloadLabel(makeRecord(1, summaries[0]), createTranslator('ja')).text;
    expect(ja).toContain('不正フレーム');
    expect(payloadLabel(makeRecord(2, bad[0]), t).text.endsWith('…')).toBe(true);
  });
});
