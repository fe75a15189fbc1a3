/** Which log entries are shown: by direction, type, peer and text. */
import { CATEGORIES, searchTextOf, type Category, type LogRecord } from './logRecord.ts';

export interface LogFilter {
  direction: 'all' | 'in' | 'out';
  categories: Record<Category, boolean>;
  /** "127.0.0.1:50123", or null for every peer. */
  peer: string | null;
  /** Found in the payload text or the hex, case-insensitively. */
  text: string;
}

export const SHOW_EVERYTHING: LogFilter = {
  direction: 'all',
  categories: Object.fromEntries(CATEGORIES.map((c) => [c, true])) as Record<Category, boolean>,
  peer: null,
  text: '',
};

export function isFiltering(filter: LogFilter): boolean {
  return (
    filter.direction !== 'all' ||
    filter.peer !== null ||
    filter.text.trim() !== '' ||
    CATEGORIES.some((c) => !filter.categories[c])
  );
}

/** A predicate for one filter; the search text is lower-cased once, not per record. */
export function matcher(filter: LogFilter): (record: LogRecord) => boolean {
  const needle = filter.text.trim().toLowerCase();
  return (record) => {
    const { entry } = record;
    if (filter.direction !== 'all' && entry.dir !== filter.direction) return false;
    if (!filter.categories[record.category]) return false;
    if (filter.peer !== null && entry.peer !== filter.peer) return false;
    if (needle !== '' && !searchTextOf(record).includes(needle)) return false;
    return true;
  };
}
