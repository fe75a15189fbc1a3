/**
 * The run shown: its output as it streams in (stderr marked), then its exit, or why it never ran.
 * A get-file or put-file run leads with what became of the file, in the window's language; the
 * server's own words about it (in the server's language) fold away below.
 */
import { useShallow } from 'zustand/react/shallow';
import { errorText, useT } from '../../i18n/index.ts';
import { RemoteFileResult } from './RemoteFileResult.tsx';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { formatBytes } from '../../ui/format.ts';

export function RemoteRunOutput() {
  const t = useT();
  const { run, cancel } = useApp(useShallow((s) => ({ run: s.remoteRun, cancel: s.cancelRemoteRun })));
  if (!run) return null;
  const end = run.end;
  const exit = end && 'exit' in end ? end.exit : null;
  const fileRun = end && 'exit' in end && (end.file || end.fileError) ? end : undefined;
  const output = (
    <pre className="remote-output" data-testid="remote-output">
      {run.output.length === 0 ? (
        <span className="remote-muted">{end ? t('remote.noOutput') : t('remote.waiting')}</span>
      ) : (
        run.output.map((block, i) => (
          <span key={i} className={block.stream === 'stderr' ? 'remote-stderr' : undefined}>
            {block.text}
          </span>
        ))
      )}
    </pre>
  );
  return (
    <div className="remote-run" data-testid="remote-run-output" data-state={end ? ('exit' in end ? 'exited' : 'refused') : 'running'}>
      <div className="remote-run-header">
        <span className="field-label">{end ? `${t('remote.output')} · ${run.command}` : t('remote.running', { command: run.command })}</span>
        {!end && (
          <Button size="sm" variant="danger" onClick={() => void cancel()} disabled={run.runId === null} data-testid="remote-cancel">
            {t('remote.cancel')}
          </Button>
        )}
      </div>
      {fileRun ? (
        <>
          <RemoteFileResult end={fileRun} t={t} />
          <details className="remote-server-said">
            <summary>{t('remote.serverSaid')}</summary>
            {output}
          </details>
        </>
      ) : (
        output
      )}
      {exit && (
        <div className={`remote-exit ${exit.exitCode === 0 && !exit.signalled ? 'good' : 'bad'}`} data-testid="remote-exit" data-code={exit.exitCode}>
          <span>
            {t(exit.signalled ? 'remote.exitSignal' : 'remote.exit', { code: exit.exitCode, bytes: formatBytes(exit.bytes), ms: exit.durationMs })}
          </span>
          {exit.truncated && <span data-testid="remote-truncated">{t('remote.truncated')}</span>}
          {exit.timedOut && <span>{t('remote.timedOut')}</span>}
          {exit.cancelled && <span>{t('remote.cancelled')}</span>}
        </div>
      )}
      {end && 'error' in end && (
        <p className="inline-error" role="alert" data-testid="remote-refused">
          {t('remote.refused')}: {errorText(t, end.error)}
        </p>
      )}
    </div>
  );
}

