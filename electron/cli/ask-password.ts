/**
 * `--ask-password`: the password typed at a prompt, never echoed, so it is in neither the
 * process list nor the shell's history. Only on a terminal: a pipe would be a password file.
 */
import type { ReadStream } from 'node:tty';
import { PASSWORD_MAX } from '../../shared/limits.ts';

export type Asked = { ok: true; password: string } | { ok: false; message: string };

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

export function askPassword(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<Asked> {
  if (!input.isTTY) {
    return Promise.resolve({ ok: false, message: '--ask-password needs a terminal: use --password-file FILE or MSP_PASSWORD in scripts.' });
  }
  const tty = input as ReadStream;
  // Echo off before the prompt shows: what is typed the moment it appears is never echoed.
  tty.setRawMode(true);
  output.write('Password: ');
  return new Promise((resolve) => {
    let typed = '';
    const finish = (result: Asked) => {
      tty.setRawMode(false);
      tty.pause();
      tty.off('data', onData);
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (ENTER.has(char)) return finish(typed === '' ? { ok: false, message: 'No password was typed.' } : { ok: true, password: typed });
        if (char === CTRL_C || char === CTRL_D) return finish({ ok: false, message: 'Cancelled.' });
        if (BACKSPACE.has(char)) typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
        if (typed.length > PASSWORD_MAX) return finish({ ok: false, message: `A password has at most ${PASSWORD_MAX} characters.` });
      }
    };
    tty.resume();
    tty.on('data', onData);
  });
}
