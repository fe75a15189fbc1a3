/**
 * Makes a file name offered by a peer (YMODEM block 0, ZMODEM ZFILE) safe to create inside
 * the receive folder, and says what it changed. A name is never allowed to reach outside the
 * folder: directories are dropped (only the last part is kept), and so are drive letters,
 * `.`/`..`, control characters, characters Windows forbids, reserved Windows device names
 * and trailing dots or spaces. It is refused only when nothing usable is left.
 *
 * (The MSP transfer service has the same need; if it brings its own sanitiser, one of the two goes.)
 */

/** The longest name kept, in UTF-8 bytes (most file systems allow 255). */
export const SAFE_NAME_MAX_BYTES = 200;

export type SafeNameChange = 'directories-removed' | 'drive-removed' | 'characters-replaced' | 'reserved-name' | 'trimmed' | 'shortened';

export type SafeNameResult = { ok: true; name: string; changes: SafeNameChange[] } | { ok: false; reason: string };

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*\\/\u202a-\u202e\u2066-\u2069]/g;

export function safeFileName(offered: string): SafeNameResult {
  const changes: SafeNameChange[] = [];
  let name = offered;
  // Only the last part of a path: "a/b/../c" and "C:\x\y" both become their last part.
  const parts = name.split(/[/\\]/);
  if (parts.length > 1) {
    name = parts[parts.length - 1]!;
    changes.push('directories-removed');
  }
  if (/^[a-z]:/i.test(name)) {
    name = name.slice(2);
    changes.push('drive-removed');
  }
  const replaced = name.replace(UNSAFE_CHARACTERS, '_');
  if (replaced !== name) changes.push('characters-replaced');
  name = replaced;
  const trimmed = name.replace(/^[\s.]+|[\s.]+$/g, '');
  if (trimmed !== name) changes.push('trimmed');
  name = trimmed;
  if (name === '') return { ok: false, reason: `nothing of the name "${printable(offered)}" is safe to use` };
  if (RESERVED.test(name)) {
    name = `_${name}`;
    changes.push('reserved-name');
  }
  const encoder = new TextEncoder();
  if (encoder.encode(name).length > SAFE_NAME_MAX_BYTES) {
    // Keep the extension: cut the stem, whole characters only.
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    let stem = [...name.slice(0, name.length - extension.length)];
    while (encoder.encode(stem.join('') + extension).length > SAFE_NAME_MAX_BYTES) stem.pop();
    name = stem.join('') + extension;
    changes.push('shortened');
  }
  return { ok: true, name, changes };
}

/** The offered name as it may be shown: control characters as \xNN, at most 100 characters. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > 100 ? `${shown.slice(0, 100)}…` : shown;
}
