/**
 * The packet log: a virtualised list (only the rows on screen exist in the DOM), so
 * 100,000 entries scroll as smoothly as ten.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/index.ts';
import { appStore, useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { isFiltering } from './logFilter.ts';
import { LogRow, ROW_HEIGHT } from './LogRow.tsx';
import { LogStatusBar } from './LogStatusBar.tsx';
import { LogToolbar } from './LogToolbar.tsx';

export function PacketLog() {
  const t = useT();
  const serialMode = useApp((s) => s.draft.mode === 'serial');
  const { log, revision, follow, selectedSeq, filter } = useApp(
    useShallow((s) => ({ log: s.log, revision: s.logRevision, follow: s.follow, selectedSeq: s.selectedSeq, filter: s.filter })),
  );
  const { select, setFollow, resetFilter } = useApp(useShallow((s) => ({ select: s.select, setFollow: s.setFollow, resetFilter: s.resetFilter })));
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = log.viewLength;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  // Following: rows have a fixed height, so the bottom is the total size. One scrollTop
  // write (the browser clamps it) instead of scrollToIndex, whose frame-by-frame
  // reconciling re-reads the layout on every batch of a flood.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (follow && el) el.scrollTop = virtualizer.getTotalSize();
  }, [revision, follow, count, virtualizer]);

  // Scrolling up to read stops following; scrolling back to the bottom resumes it.
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    // The total size is computed, not measured: no layout read on every scroll event.
    const atBottom = virtualizer.getTotalSize() - el.scrollTop - el.clientHeight < ROW_HEIGHT;
    if (appStore.getState().follow !== atBottom) setFollow(atBottom);
  }, [setFollow, virtualizer]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (count === 0) return;
    const current = selectedSeq === null ? -1 : log.viewIndexOf(selectedSeq);
    const target =
      event.key === 'ArrowDown' ? Math.min(count - 1, current + 1)
      : event.key === 'ArrowUp' ? Math.max(0, current === -1 ? count - 1 : current - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? count - 1
      : undefined;
    if (target === undefined) return;
    event.preventDefault();
    const record = log.viewAt(target);
    if (record) {
      select(record.seq);
      virtualizer.scrollToIndex(target);
    }
  };

  const filtering = isFiltering(filter);
  return (
    <section className="log" aria-label={t('log.title')}>
      <LogToolbar />
      <div className="log-table" role="table" aria-rowcount={count}>
        <div className="log-head" role="row">
          <span role="columnheader" className="c-seq">{t('log.col.seq')}</span>
          <span role="columnheader" className="c-time">{t('log.col.time')}</span>
          <span role="columnheader" className="c-dir">{t('log.col.dir')}</span>
          <span role="columnheader" className="c-peer">{t('log.col.peer')}</span>
          <span role="columnheader" className="c-type">{t('log.col.type')}</span>
          <span role="columnheader" className="c-len">{t('log.col.length')}</span>
          <span role="columnheader" className="c-crc">{t('log.col.crc')}</span>
          <span role="columnheader" className="c-ack">{t('log.col.ack')}</span>
          <span role="columnheader" className="c-payload">{t('log.col.payload')}</span>
        </div>
        <div className="log-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} data-testid="log-scroll">
          {count === 0 ? (
            <div className="log-empty">
              <p>{filtering && log.size > 0 ? t('log.emptyFiltered') : t(serialMode ? 'log.emptySerial' : 'log.empty')}</p>
              {filtering && log.size > 0 && (
                <Button size="sm" onClick={resetFilter}>
                  {t('log.resetFilter')}
                </Button>
              )}
            </div>
          ) : (
            <div className="log-rows" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const record = log.viewAt(item.index);
                if (!record) return null;
                return (
                  <LogRow
                    key={record.seq}
                    record={record}
                    top={item.start}
                    selected={record.seq === selectedSeq}
                    revision={revision}
                    t={t}
                    onSelect={select}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
      <LogStatusBar />
    </section>
  );
}
