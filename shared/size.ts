/**
 * A size as a person writes it, the one parser for `--max-file-size` (both `--mode server` and
 * `--mode receive`) and the app's size fields: "1048576", "500K", "500M", "2G" (powers of 1024).
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([KMG]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = Number(m[1]) * scale;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
