/** Under the log: how many packets (and how many were dropped, and why), follow or paused, clear and export. */
import { useShallow } from 'zustand/react/shallow';
import { useLanguage, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { formatBytes, formatCount } from '../../ui/format.ts';
import { DownloadIcon, TrashIcon } from '../../ui/icons.tsx';
import { toCsv, toJson } from './exportLog.ts';
import { isFiltering } from './logFilter.ts';
import { exportFileName, saveFile } from './saveFile.ts';

export function LogStatusBar() {
  const t = useT();
  const language = useLanguage();
  const { log, follow, filter } = useApp(useShallow((s) => ({ log: s.log, follow: s.follow, filter: s.filter, revision: s.logRevision })));
  const { setFollow, clearLog } = useApp(useShallow((s) => ({ setFollow: s.setFollow, clearLog: s.clearLog })));
  const n = (value: number) => formatCount(value, language);
  const bytes = (value: number) => formatBytes(value, language);
  return (
    <footer className="log-status" data-testid="log-status">
      <span data-testid="log-count" data-count={log.size}>{t('log.count', { n: n(log.size) })}</span>
      {isFiltering(filter) && <span>{t('log.shown', { n: n(log.viewLength) })}</span>}
      {log.dropped > 0 && (
        <span
          className="log-dropped"
          title={t('log.droppedHint', { max: n(log.capacity), bytes: bytes(log.maxBytes) })}
          data-testid="log-dropped"
          data-count={log.dropped}
        >
          {t('log.dropped', { n: n(log.dropped) })}
        </span>
      )}
      {log.skipped.events > 0 && (
        <span className="log-dropped" title={t('log.skippedHint')} data-testid="log-skipped" data-count={log.skipped.events}>
          {t('log.skipped', { n: n(log.skipped.events), bytes: bytes(log.skipped.bytes) })}
        </span>
      )}
      <span className="toolbar-spacer" />
      <button type="button" className="toggle" aria-pressed={follow} title={t('log.followHint')} data-testid="follow" onClick={() => setFollow(!follow)}>
        {follow ? t('log.following') : t('log.paused')}
      </button>
      <span className="status-divider" />
      <Button size="sm" variant="ghost" icon={<TrashIcon />} onClick={clearLog} data-testid="clear-log">
        {t('log.clear')}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        icon={<DownloadIcon />}
        title={t('log.exportHint')}
        data-testid="export-json"
        onClick={() => saveFile(exportFileName('json'), 'application/json', toJson(log.visibleRecords()))}
      >
        {t('log.exportJson')}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        icon={<DownloadIcon />}
        title={t('log.exportHint')}
        data-testid="export-csv"
        onClick={() => saveFile(exportFileName('csv'), 'text/csv', toCsv(log.visibleRecords()))}
      >
        {t('log.exportCsv')}
      </Button>
    </footer>
  );
}
