/** Numbers and times as the UI shows them. */

export function formatClock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Round-trip times: sub-millisecond ones need more digits to mean anything. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${Math.round(ms)} ms`;
}

export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(Math.round(n));
}

/** Sizes in decimal units: "830 B", "1.2 MB", "67 MB". */
export function formatBytes(bytes: number, locale?: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatBytesPerSec(bytes: number, locale?: string): string {
  return `${formatBytes(bytes, locale)}/s`;
}

/** "5 s ago", "3 min ago": how long since something happened, short. */
export function secondsSince(at: number, now: number): number {
  return Math.max(0, Math.round((now - at) / 1000));
}
