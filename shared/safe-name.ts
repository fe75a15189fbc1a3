/**
 * The one rule for the name a received file gets, for MSP file transfer and X/Y/ZMODEM alike
 * (README, "File transfer: receiving safely"). The name comes from the peer, so it is hostile:
 * it must name one file inside the receive folder on every OS, never a path, a device or
 * something that looks like another name. Each case is either refused (the name cannot be made
 * safe without guessing what was meant) or sanitised (a small, visible change, listed in
 * `changes`). Pure: the receivers, the app's upload staging and the tests call it alike.
 */

/** What sanitising changed, for the receiver's "offered as …" line. */
export type SafeNameChange = 'characters-replaced' | 'trimmed' | 'reserved-name';

export type SafeName = { ok: true; name: string; sanitised: boolean; changes: SafeNameChange[] } | { ok: false; why: string };

/** Windows devices: a file named like one (with any extension) opens the device instead. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/** Characters Windows does not allow in a name (besides separators and ':', refused below). */
const WINDOWS_FORBIDDEN = /[<>"|?*]/g;
/** Bidirectional overrides and isolates: they make "gpj.exe" look like "exe.jpg". */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** C0 and C1 control characters, DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export const MAX_SAFE_NAME_BYTES = 255;

export function safeFileName(name: string): SafeName {
  if (name.length === 0) return refuse('the name is empty');
  if (CONTROL.test(name)) return refuse('the name contains control characters');
  if (name.includes('/') || name.includes('\\')) return refuse('the name is a path (it contains / or \\); send a file name only');
  if (name.includes(':')) return refuse('the name contains ":" (a drive letter or an NTFS stream)');
  if (name === '.' || name === '..') return refuse(`"${name}" is a folder, not a file name`);
  if (new TextEncoder().encode(name).length > MAX_SAFE_NAME_BYTES) return refuse(`the name is longer than ${MAX_SAFE_NAME_BYTES} bytes`);
  const changes: SafeNameChange[] = [];
  let safe = name.replace(WINDOWS_FORBIDDEN, '_').replace(BIDI_CONTROLS, '_');
  if (safe !== name) changes.push('characters-replaced');
  // Windows drops trailing dots and spaces: "a.txt." would be "a.txt" there.
  const trimmed = safe.replace(/[. ]+$/, '');
  if (trimmed !== safe) changes.push('trimmed');
  safe = trimmed;
  if (safe === '') return refuse('the name is only dots and spaces');
  // A device name with or without an extension, and with spaces before the dot ("NUL .txt").
  const stem = safe.split('.')[0].replace(/ +$/, '');
  if (RESERVED.test(stem)) {
    safe = `_${safe}`;
    changes.push('reserved-name');
  }
  return { ok: true, name: safe, sanitised: safe !== name, changes };
}

function refuse(why: string): SafeName {
  return { ok: false, why };
}

/** `report.pdf` → `report (1).pdf`; `archive.tar.gz` → `archive (1).tar.gz`... the name used when `name` exists. */
export function numberedName(name: string, n: number): string {
  const dot = name.indexOf('.', 1);
  return dot === -1 ? `${name} (${n})` : `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

/** An offered name as it may be shown in a message: control characters as \xNN, at most 100 characters. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > 100 ? `${shown.slice(0, 100)}…` : shown;
}
