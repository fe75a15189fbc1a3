/** A serial line's settings as a form edits them: the connection's serial form and the X/Y/ZMODEM tool share it. */
import type { SerialLine } from '../../../shared/ipc/serial.ts';

export interface LineDraft extends Omit<SerialLine, 'baudRate'> {
  /** Kept as typed, so a half-typed rate is not lost; checked before use. */
  baudText: string;
  /** The rate is typed in rather than picked from the standard list. */
  baudCustom: boolean;
}
