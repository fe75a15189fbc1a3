/** The remote-control wire layouts (shared/msp/remote-control.ts): round trips, and hostile bytes never throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeExit,
  decodeList,
  decodeOutput,
  decodeRefused,
  decodeRun,
  encodeExit,
  encodeList,
  encodeOutput,
  encodeRefused,
  encodeRun,
  requestIdOf,
  type OfferedCommand,
} from '../../shared/msp/remote-control.ts';

const echo: OfferedCommand = {
  name: 'echo',
  description: 'Echo.',
  params: [{ name: 'text', description: '', type: 'string', pattern: '[a-z]*', maxLength: 10 }],
  confirm: false,
  timeoutSeconds: 5,
  maxOutputBytes: 4096,
  builtin: false,
};

describe('remote-control wire', () => {
  it('round trips every message', () => {
    expect(requestIdOf(encodeList(0xdeadbeef, [echo]))).toBe(0xdeadbeef);
    expect(decodeList(encodeList(1, [echo]))).toEqual([echo]);
    expect(decodeRun(encodeRun(2, { command: 'echo', args: [['text', 'a;b']] }))).toEqual({ command: 'echo', args: [['text', 'a;b']] });
    expect(decodeOutput(encodeOutput(3, 'stderr', Uint8Array.of(1, 2)))).toEqual({ stream: 'stderr', bytes: Uint8Array.of(1, 2) });
    const exit = { exitCode: -2, signalled: true, truncated: true, timedOut: false, cancelled: true, bytes: 70000, durationMs: 1234 };
    expect(decodeExit(encodeExit(4, exit))).toEqual(exit);
    expect(decodeRefused(encodeRefused(5, 3, 'Too many.'))).toEqual({ code: 3, message: 'Too many.' });
    expect(decodeRefused(encodeRefused(5, 3, 'é'.repeat(5000)))!.message.length).toBeLessThanOrEqual(1024);
  });

  it('refuses extra keys, prototype keys as objects, and oversized bodies', () => {
    const body = (json: string) => Uint8Array.from([0, 0, 0, 1, ...new TextEncoder().encode(json)]);
    expect(decodeRun(body('{"command":"echo","args":[],"shell":true}'))).toBeUndefined();
    expect(decodeRun(body('{"command":"echo","args":{"__proto__":"x"}}'))).toBeUndefined();
    expect(decodeRun(body('{"command":"ECHO; rm","args":[]}'))).toBeUndefined();
    expect(decodeRun(body(`{"command":"echo","args":[["a","${'x'.repeat(40_000)}"]]}`))).toBeUndefined();
    expect(decodeOutput(Uint8Array.of(0, 0, 0, 1, 9, 65))).toBeUndefined();
    expect(decodeExit(Uint8Array.of(0, 0, 0, 1))).toBeUndefined();
  });

  it('no decoder throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const decode of [decodeList, decodeRun, decodeOutput, decodeExit, decodeRefused, requestIdOf]) decode(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
