/**
 * The auto-responder: a list of rules (shared/automation/rules.ts) run as a Session's packet
 * hook (link/packet-hook.ts). For each packet received, the first enabled rule that matches
 * acts: it replies, or bends the packet's ACK. One Responder serves every session of a link
 * (a server's clients), so its counters say how often each rule fired in all.
 */
import type { Rule, RuleAction } from '../../../shared/automation/rules.ts';
import { parseTemplate, type TemplatePart } from '../../../shared/automation/rules-template.ts';
import type { HookIo, HookPacket, PacketHook } from '../link/packet-hook.ts';
import { perform } from './responder-actions.ts';
import { PacketView, compileMatch, type Matcher } from './responder-match.ts';

export type ResponderEvent =
  | { kind: 'fired'; rule: number; name: string; action: RuleAction['kind']; peer: string; count: number; at: number }
  /** The rule matched but could not act (a reply that came out too large, a hex template that is not hex). */
  | { kind: 'rule-failed'; rule: number; name: string; peer: string; message: string; at: number };

interface CompiledRule {
  rule: Rule;
  matcher: Matcher;
  template?: readonly TemplatePart[];
}

export class Responder implements PacketHook {
  private compiled: CompiledRule[] = [];
  private counts: number[] = [];

  /** Throws nothing: rules that passed the schema compile; see compileRules for what can still fail. */
  private constructor(private readonly observer?: (event: ResponderEvent) => void) {}

  /** A responder for these rules, or the first rule that cannot run and why ("rules[2].match.pattern: ..."). */
  static create(rules: readonly Rule[], observer?: (event: ResponderEvent) => void): { ok: true; responder: Responder } | { ok: false; message: string } {
    const responder = new Responder(observer);
    const set = responder.setRules(rules);
    return set.ok ? { ok: true, responder } : set;
  }

  /** Replaces the rules (the panel applied an edit); the counters start again. */
  setRules(rules: readonly Rule[]): { ok: true } | { ok: false; message: string } {
    const compiled: CompiledRule[] = [];
    for (const [index, rule] of rules.entries()) {
      const match = compileMatch(rule.match);
      if (!match.ok) return { ok: false, message: `rules[${index}].match.pattern: ${match.problem}` };
      let template: readonly TemplatePart[] | undefined;
      if (rule.action.kind === 'reply') {
        const parsed = parseTemplate(rule.action.template);
        if (!parsed.ok) return { ok: false, message: `rules[${index}].action.template: ${parsed.problem}` };
        template = parsed.parts;
      }
      compiled.push({ rule, matcher: match.matcher, ...(template ? { template } : {}) });
    }
    this.compiled = compiled;
    this.counts = compiled.map(() => 0);
    return { ok: true };
  }

  /** How often each rule fired, in rule order. */
  get firedCounts(): readonly number[] {
    return this.counts;
  }

  onPacket(packet: HookPacket, io: HookIo): 'ack' | 'handled' {
    const compiled = this.compiled;
    if (compiled.length === 0) return 'ack';
    const view = new PacketView(packet, io.peer);
    for (let index = 0; index < compiled.length; index++) {
      const { rule, matcher, template } = compiled[index];
      if (!rule.enabled) continue;
      const captures = matcher(view);
      if (!captures) continue;
      const count = ++this.counts[index];
      const outcome = perform(rule.action, { io, captures, counter: count, ...(template ? { template } : {}) }, packet.owedAck);
      const at = Date.now();
      if (outcome.problem) this.observer?.({ kind: 'rule-failed', rule: index, name: rule.name, peer: io.peer, message: outcome.problem, at });
      else this.observer?.({ kind: 'fired', rule: index, name: rule.name, action: rule.action.kind, peer: io.peer, count, at });
      return outcome.ack;
    }
    return 'ack';
  }
}
