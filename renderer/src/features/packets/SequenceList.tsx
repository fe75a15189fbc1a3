/** The library's sequences: run one, pause, step, stop, and read each step's outcome as it happens. */
import { errorText, useT } from '../../i18n/index.ts';
import { appStore, useApp } from '../../store/appStore.ts';
import { Button, Panel } from '../../ui/controls.tsx';

export function SequenceList() {
  const t = useT();
  const sequences = useApp((s) => s.library.sequences);
  const run = useApp((s) => s.sequenceRun);
  const { runSequence, controlSequence } = appStore.getState();
  const active = run.state === 'running' || run.state === 'paused';
  return (
    <Panel title={t('packets.sequences')} testId="sequences-panel">
      {sequences.length === 0 && <p className="muted small">{t('packets.noSequences')}</p>}
      <ul className="packet-list">
        {sequences.map((sequence) => (
          <li className="packet-row" key={sequence.id} data-testid={`sequence-${sequence.id}`}>
            <span className="sequence-name">{sequence.name}</span>
            <span className="muted small">{t('packets.steps', { n: sequence.steps.length })}</span>
            <Button size="sm" variant="secondary" disabled={active} onClick={() => void runSequence(sequence.id)} data-testid={`sequence-run-${sequence.id}`}>
              {t('packets.run')}
            </Button>
          </li>
        ))}
      </ul>
      {run.sequenceId !== null && (
        <div className="sequence-run" data-testid="sequence-run">
          <div className="sequence-run-head">
            <strong data-testid="sequence-state" data-state={run.state}>{t(`packets.state.${run.state}`)}</strong>
            {active && (
              <div className="packets-actions">
                {run.state === 'running' ? (
                  <Button size="sm" variant="ghost" onClick={() => void controlSequence('pause')}>{t('packets.pause')}</Button>
                ) : (
                  <>
                    <Button size="sm" variant="ghost" onClick={() => void controlSequence('step')}>{t('packets.step')}</Button>
                    <Button size="sm" variant="ghost" onClick={() => void controlSequence('resume')}>{t('packets.resume')}</Button>
                  </>
                )}
                <Button size="sm" variant="danger" onClick={() => void controlSequence('stop')}>{t('packets.stop')}</Button>
              </div>
            )}
          </div>
          {run.error && <p className="packets-error">{errorText(t, run.error)}</p>}
          <ol className="sequence-steps" data-testid="sequence-steps">
            {run.steps.map((step, i) => (
              <li key={i} className={`sequence-step outcome-${step.outcome}`}>
                <span className="sequence-step-index">{step.index + 1}</span> <span className="sequence-step-kind">{t(`packets.kind.${step.step}`)}</span> {step.detail}
              </li>
            ))}
          </ol>
        </div>
      )}
    </Panel>
  );
}
