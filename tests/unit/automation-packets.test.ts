/**
 * Saved packets: the template fields (counter, timestamp, random bytes), their errors and
 * bounds; the library file round trip (export, then import, gives the same library) and its
 * refusals; the wait criteria, with patterns that could backtrack for ever refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMatch, checkRegex, describeMatch } from '../../shared/automation/packet-match.ts';
import { EMPTY_LIBRARY, parseLibrary, serializeLibrary, type PacketLibraryInput } from '../../shared/automation/packets.ts';
import { libraryFileSchema } from '../../shared/automation/packets.ts';
import { resolveTemplate, TEMPLATE_MAX_FIELDS } from '../../shared/automation/template.ts';
import { MAX_PAYLOAD_SIZE, PacketType, toHex, utf8Encode } from '../../shared/msp/index.ts';

const at = (counter: number, nowMs = Date.UTC(2026, 10, 30, 23, 44, 1, 123)) => ({ counter, nowMs, random: (n: number) => new Uint8Array(n).fill(0xab) });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('template fields', () => {
  it('fills counter, timestamp and random bytes in text and hex', () => {
    const t = resolveTemplate('text', 'n={{counter}} t={{timestamp}} u={{timestamp:unix}} ms={{timestamp:ms}}', at(7));
    expect(t.ok && text(t.value)).toBe('n=7 t=2026-11-30T23:44:01.123Z u=1796082241 ms=1796082241123');
    const h = resolveTemplate('hex', 'AA {{counter:u8}} {{counter:u16}}{{counter:u32}} {{random:3}} {{timestamp:u32}}', at(258));
    expect(h.ok && toHex(h.value)).toBe('AA 02 01 02 00 00 01 02 AB AB AB 6B 0E 0A 41');
    const raw = resolveTemplate('raw', 'AA 55 00 07 01 10 00', at(1));
    expect(raw.ok && toHex(raw.value)).toBe('AA 55 00 07 01 10 00');
    expect(resolveTemplate('text', 'a {{{{counter}} b', at(1))).toEqual({ ok: true, value: utf8Encode('a {{counter}} b') });
  });

  it('says what is wrong and where', () => {
    expect(resolveTemplate('text', 'x {{count}}', at(1))).toMatchObject({ ok: false, error: { code: 'TEMPLATE_ERR_SYNTAX', position: 2 } });
    expect(resolveTemplate('text', 'x {{random:0}}', at(1))).toMatchObject({ ok: false, error: { code: 'TEMPLATE_ERR_SYNTAX' } });
    expect(resolveTemplate('text', 'x {{random:1025}}', at(1))).toMatchObject({ ok: false });
    expect(resolveTemplate('text', 'unclosed {{counter', at(1))).toMatchObject({ ok: false, error: { position: 9 } });
    expect(resolveTemplate('hex', 'AA {{counter:u8}} B', at(1))).toMatchObject({ ok: false, error: { code: 'MSP_ERR_BAD_HEX', position: 18 } });
    expect(resolveTemplate('text', '{{counter}}'.repeat(TEMPLATE_MAX_FIELDS + 1), at(1))).toMatchObject({ ok: false, error: { code: 'TEMPLATE_ERR_TOO_LARGE' } });
    expect(resolveTemplate('text', '{{random:1000}}'.repeat(66), at(1))).toMatchObject({ ok: false, error: { code: 'TEMPLATE_ERR_TOO_LARGE' } });
    expect(resolveTemplate('text', 'x'.repeat(MAX_PAYLOAD_SIZE), at(1)).ok).toBe(true);
  });

  it('never throws, and never makes more than a payload, whatever the body (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('text', 'hex', 'raw') as fc.Arbitrary<'text' | 'hex' | 'raw'>, (body, format) => {
        const result = resolveTemplate(format, body, at(1));
        if (result.ok) expect(result.value.length).toBeLessThanOrEqual(65_535);
      }),
      { numRuns: 500 },
    );
  });
});

const sample: PacketLibraryInput = {
  format: 'msp-workbench-packets',
  version: 1,
  packets: [
    { id: 'ping', name: 'Ping', folder: 'Arduino', format: 'text', body: 'ping {{counter}}', key: 1 },
    { id: 'raw-bad-crc', name: 'Bad CRC', folder: 'Arduino', format: 'raw', body: 'AA 55 00 08 01 10 41 00' },
    { id: 'status', name: 'Status ステータス', folder: 'DOS PC', format: 'hex', body: '01 {{counter:u16}}', type: 0x60, version: 2, key: 2 },
  ],
  sequences: [
    {
      id: 'hello',
      name: 'Hello',
      folder: 'Arduino',
      steps: [
        { do: 'send', packet: 'ping', label: 'top' },
        { do: 'wait', match: { type: 0x11 }, timeoutMs: 2000, onTimeout: { goto: 'top' } },
        { do: 'delay', ms: 100 },
        { do: 'repeat', goto: 'top', times: 3 },
      ],
    },
  ],
};

describe('the library file', () => {
  it('round-trips through export and import', () => {
    const parsed = parseLibrary(JSON.stringify(sample));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const exported = serializeLibrary(parsed.value);
    const again = parseLibrary(exported);
    expect(again).toEqual(parsed);
    expect(parsed.value.packets[0]).toEqual({ id: 'ping', name: 'Ping', folder: 'Arduino', format: 'text', body: 'ping {{counter}}', type: 0x10, version: 1, key: 1 });
    expect(parseLibrary(serializeLibrary(EMPTY_LIBRARY))).toEqual({ ok: true, value: EMPTY_LIBRARY });
  });

  it('refuses what it cannot trust, saying where', () => {
    const bad = (patch: object) => parseLibrary(JSON.stringify({ ...sample, ...patch }));
    expect(bad({ format: 'other' })).toMatchObject({ ok: false, error: { code: 'PACKETS_ERR_INVALID' } });
    expect(bad({ packets: [{ id: 'a', name: 'A', body: '{{nope}}' }] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^packets\[0\]\.body: "\{\{nope\}\}"/) } });
    expect(bad({ packets: [{ id: 'a', name: 'A', body: '' }, { id: 'a', name: 'B', body: '' }], sequences: [] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Two packets have the id "a"/) } });
    expect(bad({ packets: [{ id: 'a', name: 'A', body: '', key: 1 }, { id: 'b', name: 'B', body: '', key: 1 }], sequences: [] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Ctrl\+1 is already "A"'s shortcut/) } });
    expect(bad({ sequences: [{ id: 's', name: 'S', steps: [{ do: 'repeat', goto: 'nowhere', times: 2 }] }] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No step has the label "nowhere"/) } });
    expect(bad({ sequences: [{ id: 's', name: 'S', steps: [{ do: 'repeat', goto: 'x', times: 1e9, label: 'x' }] }] })).toMatchObject({ ok: false });
    expect(bad({ packets: Array.from({ length: 1001 }, (_, i) => ({ id: `p${i}`, name: 'P', body: '' })), sequences: [] })).toMatchObject({ ok: false });
    expect(bad({ extra: true })).toMatchObject({ ok: false });
    expect(parseLibrary('[')).toMatchObject({ ok: false, error: { code: 'PACKETS_ERR_NOT_JSON' } });
    expect(parseLibrary('x'.repeat(4 * 1024 * 1024 + 1))).toMatchObject({ ok: false, error: { code: 'PACKETS_ERR_TOO_LARGE' } });
  });

  it('the schema never throws on arbitrary JSON (property)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => void libraryFileSchema.safeParse(json)), { numRuns: 300 });
  });
});

describe('wait criteria', () => {
  const packet = (type: number, payload: Uint8Array | string) => ({ version: 1, type, payload: typeof payload === 'string' ? utf8Encode(payload) : payload });

  it('match by type, text, regex and hex mask, all together', () => {
    const m = compileMatch({ type: PacketType.DATA, text: 'temp', regex: '=\\d+C$', hex: '74 ?? 6D' });
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value(packet(0x10, 'temp=21C'))).toBe(true);
    expect(m.value(packet(0x11, 'temp=21C'))).toBe(false);
    expect(m.value(packet(0x10, 'temp=hotC'))).toBe(false);
    expect(m.value(packet(0x10, 'tamp=21C'))).toBe(false);
    const mask = compileMatch({ hex: '01 ?? 03' });
    expect(mask.ok && mask.value(packet(0x10, Uint8Array.of(1, 9, 3, 4)))).toBe(true);
    expect(mask.ok && mask.value(packet(0x10, Uint8Array.of(1, 9)))).toBe(false);
    // Binary payloads never match text criteria.
    const t = compileMatch({ text: '' });
    expect(t.ok && t.value(packet(0x10, Uint8Array.of(0xff)))).toBe(false);
    expect(describeMatch({ type: 0x11, text: 'OK' })).toBe('TYPE 0x11, text "OK"');
  });

  it('refuses patterns that can backtrack for ever, and bad masks', () => {
    for (const p of ['(a+)+', '(a*)*b', '(a|aa)+', '(x+x+)+y', '(\\w+\\s?){2,}$', '(a)\\1', '(?<n>a)\\k<n>', 'x'.repeat(201)]) {
      expect(checkRegex(p), p).toBeDefined();
    }
    for (const p of ['^pong \\d+$', 'OK|ERR', '[a-z]+=\\d{1,3}', '(ab)+c']) expect(checkRegex(p), p).toBeUndefined();
    expect(compileMatch({ regex: '(' })).toMatchObject({ ok: false });
    expect(compileMatch({ hex: '01 0x' })).toMatchObject({ ok: false });
  });
});

describe("the README's example library", () => {
  it('parses, so the documented format is the real one', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```json\n(\{\n  "format": "msp-workbench-packets"[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const parsed = parseLibrary(block!);
    expect(parsed.ok, parsed.ok ? '' : parsed.error.message).toBe(true);
  });
});
