/** What the CLI prints about automation: each rule that fired, and the impairment in force. */
import { describeImpairment } from '../../shared/automation/impairment.ts';
import { Responder, type ResponderEvent } from '../main/automation/responder.ts';
import { LinkImpairment } from '../main/link/impairment.ts';
import type { AutomationConfig } from './automation-args.ts';
import type { Printer } from './output.ts';

/** The session options automation adds: a responder for --rules, an impairment for --impair. */
export function automationSessionOptions(config: AutomationConfig, print: Printer, quiet: boolean) {
  const out: { packetHook?: Responder; impairment?: LinkImpairment } = {};
  if (config.rules) {
    const made = Responder.create(config.rules, (event) => printResponderEvent(event, print, quiet));
    // Checked when the flags were read; a failure here would be a bug.
    if (!made.ok) throw new Error(made.message);
    out.packetHook = made.responder;
    print.event('rules', { rules: config.rules.length }, `Auto-responder: ${config.rules.length} rule${config.rules.length === 1 ? '' : 's'}`);
  }
  if (config.impairment) {
    const { settings, seed } = config.impairment;
    out.impairment = new LinkImpairment(settings, seed);
    const text = describeImpairment(settings);
    print.event('impairment', { impair: text, seed }, `Impairing what is sent: ${text} (--seed ${seed})`);
  }
  return out;
}

function printResponderEvent(event: ResponderEvent, print: Printer, quiet: boolean): void {
  const label = `rule ${event.rule + 1}${event.name ? ` "${event.name}"` : ''}`;
  if (event.kind === 'rule-failed') {
    return print.event('rule-failed', { rule: event.rule, name: event.name, peer: event.peer, message: event.message }, `[${event.peer}] ${label} could not act: ${event.message}`);
  }
  if (quiet) return;
  print.event(
    'rule',
    { rule: event.rule, name: event.name, action: event.action, peer: event.peer, count: event.count },
    `[${event.peer}] ${label}: ${event.action} (${event.count})`,
  );
}
