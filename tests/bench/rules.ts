/**
 * What automation costs per packet (one thread, in process): the responder's rules for a
 * packet that matches none (contains, regex), 200 evil regexes against a 1 KiB payload (the
 * worst a rules file can ask), and the impaired writer's throughput.
 *
 *   node --import tsx tests/bench/rules.ts      (npm run bench:rules; also part of npm run bench)
 */
import { loadavg } from 'node:os';
import { checkRules } from '../../shared/automation/rules.ts';
import { NO_IMPAIRMENT } from '../../shared/automation/impairment.ts';
import { Responder } from '../../electron/main/automation/responder.ts';
import { LinkImpairment } from '../../electron/main/link/impairment.ts';
import type { HookIo } from '../../electron/main/link/packet-hook.ts';

export interface RulesFigure {
  what: string;
  packetsPerSec: number;
  usPerPacket: number;
}

const io: HookIo = { peer: '127.0.0.1:5000', isClosed: false, ackBytes: () => ({ ok: true, value: new Uint8Array(9) }), writeRaw() {}, reply() {}, close() {} };

function responderFor(rules: unknown[]): Responder {
  const checked = checkRules({ rules });
  if (!checked.ok) throw new Error(checked.message);
  const made = Responder.create(checked.value.rules);
  if (!made.ok) throw new Error(made.message);
  return made.responder;
}

function measure(what: string, packets: number, op: () => void): RulesFigure {
  const started = performance.now();
  for (let i = 0; i < packets; i++) op();
  const ms = performance.now() - started;
  return { what, packetsPerSec: Math.round((packets * 1000) / ms), usPerPacket: Math.round((ms * 1000 * 100) / packets) / 100 };
}

export function rulesFigures(scale = 1): RulesFigure[] {
  const payload = new TextEncoder().encode('sensor 12 T=21.5 H=40 status=ok ' + 'x'.repeat(32));
  const packet = { type: 0x10, payload, owedAck: true };
  const never = (kind: string, i: number) => ({ match: { kind, pattern: kind === 'regex' ? `^cmd${i} (\\d+)=(\\w+)$` : `nothing-${i}` }, action: { kind: 'drop-ack' } });
  const contains10 = responderFor(Array.from({ length: 10 }, (_, i) => never('contains', i)));
  const regex10 = responderFor(Array.from({ length: 10 }, (_, i) => never('regex', i)));
  const evil = ['(a+)+$', '(a|aa)+$', '\\w+\\w+\\w+\\w+x', '(.*a){5}$', '(x+x+)+y'];
  const evil200 = responderFor(Array.from({ length: 200 }, (_, i) => ({ match: { kind: 'regex', pattern: evil[i % evil.length] }, action: { kind: 'drop-ack' } })));
  const evilPacket = { type: 0x10, payload: new TextEncoder().encode('a'.repeat(1024) + '!'), owedAck: true };
  const writer = new LinkImpairment({ ...NO_IMPAIRMENT, drop: 0.01, corrupt: 0.01, duplicate: 0.01 }, 1).writer(() => {});
  const ack = new Uint8Array(9);
  return [
    measure('10 contains rules, none matching (64 B payload)', 200_000 * scale, () => contains10.onPacket(packet, io)),
    measure('10 regex rules, none matching (64 B payload)', 100_000 * scale, () => regex10.onPacket(packet, io)),
    measure('200 evil regex rules, 1 KiB of "a" + "!"', 20 * scale, () => evil200.onPacket(evilPacket, io)),
    measure('impaired writer: drop, corrupt, duplicate 1 % each', 1_000_000 * scale, () => writer.write(ack)),
  ];
}

export const formatRulesFigure = (f: RulesFigure): string =>
  `  ${f.what.padEnd(52)} ${String(f.packetsPerSec).padStart(10)} packets/s  ${f.usPerPacket.toFixed(2).padStart(10)} µs/packet`;

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Automation, Node ${process.version}, one thread, load average ${loadavg()[0].toFixed(1)}:`);
  for (const f of rulesFigures()) console.log(formatRulesFigure(f));
}
