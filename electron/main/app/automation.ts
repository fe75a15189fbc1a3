/**
 * The app's auto-responder: one Responder (electron/main/automation/) that every link the app
 * opens gets as its sessions' packet hook, so rules applied from the Automation panel act on
 * the running link at once. How often each rule fired goes to the window at most every
 * FIRED_INTERVAL_MS, never once per packet.
 */
import type { RulesFile, RulesStatus } from '../../../shared/automation/rules.ts';
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import { Responder } from '../automation/responder.ts';

const FIRED_INTERVAL_MS = 250;

export class AppAutomation {
  readonly responder: Responder;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly emitFired: (status: RulesStatus) => void) {
    const made = Responder.create([], () => this.scheduleFired());
    if (!made.ok) throw new Error(made.message); // no rules cannot fail
    this.responder = made.responder;
  }

  /** Runs these rules from now on (the counts start again); a rule main cannot run is refused, naming it. */
  setRules(file: RulesFile): Result<RulesStatus> {
    const set = this.responder.setRules(file.rules);
    if (!set.ok) return fail(appError('APP_ERR_RULES_INVALID', set.message));
    return ok(this.status());
  }

  status(): RulesStatus {
    const fired = [...this.responder.firedCounts];
    return { rules: fired.length, fired };
  }

  stop(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  private scheduleFired(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.emitFired(this.status());
    }, FIRED_INTERVAL_MS);
    this.pending.unref?.();
  }
}
