/** The log's filters: direction, type, peer and text. */
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Segmented } from '../../ui/controls.tsx';
import { SearchIcon } from '../../ui/icons.tsx';
import { CATEGORIES } from './logRecord.ts';

export function LogToolbar() {
  const t = useT();
  const { filter, log } = useApp(useShallow((s) => ({ filter: s.filter, log: s.log, revision: s.logRevision })));
  const setFilter = useApp((s) => s.setFilter);
  const peers = [...log.peers];

  return (
    <div className="log-toolbar" role="toolbar" aria-label={t('log.filters')}>
      <Segmented
        label={t('log.direction')}
        size="sm"
        value={filter.direction}
        testId="filter-direction"
        options={[
          { value: 'all', label: t('log.all') },
          { value: 'in', label: t('log.in') },
          { value: 'out', label: t('log.out') },
        ]}
        onChange={(direction) => setFilter({ direction })}
      />
      <div className="chips" role="group" aria-label={t('log.col.type')}>
        {CATEGORIES.map((category) => (
          <button
            key={category}
            type="button"
            className={`chip chip-${category}`}
            aria-pressed={filter.categories[category]}
            data-testid={`filter-${category}`}
            onClick={() => setFilter({ categories: { ...filter.categories, [category]: !filter.categories[category] } })}
          >
            {t(`log.category.${category}`)}
          </button>
        ))}
      </div>
      <select
        className="peer-select"
        aria-label={t('log.col.peer')}
        value={filter.peer ?? ''}
        data-testid="filter-peer"
        onChange={(e) => setFilter({ peer: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">{t('log.allPeers')}</option>
        {filter.peer !== null && !peers.includes(filter.peer) && <option value={filter.peer}>{filter.peer}</option>}
        {peers.map((peer) => (
          <option key={peer} value={peer}>
            {peer}
          </option>
        ))}
      </select>
      <label className="search">
        <SearchIcon />
        <input
          type="search"
          placeholder={t('log.search')}
          value={filter.text}
          spellCheck={false}
          data-testid="filter-text"
          onChange={(e) => setFilter({ text: e.target.value })}
        />
      </label>
    </div>
  );
}
