/**
 * get-file / put-file: what became of the file, worded here from main's data (RemoteRunEnd's
 * `file` or `fileError`) so it reads in the window's language. Other runs show nothing.
 */
import type { RemoteRunEnd } from '../../../../shared/ipc/remote.ts';
import { errorText, type Translate } from '../../i18n/translate.ts';

export function RemoteFileResult({ end, t }: { end: Extract<RemoteRunEnd, { exit: unknown }>; t: Translate }) {
  const { file, fileError } = end;
  if (file) {
    const values = { name: file.name, size: file.size, sha256: file.sha256 };
    return (
      <p className="remote-file good" data-testid="remote-file" data-direction={file.direction}>
        {file.direction === 'get' ? t('remote.savedHere', { ...values, folder: file.folder ?? '' }) : t('remote.savedOnServer', values)}
      </p>
    );
  }
  if (fileError) {
    return (
      <p className="remote-file bad" data-testid="remote-file-error">
        {t('remote.fileFailed', { reason: errorText(t, fileError) })}
      </p>
    );
  }
  return null;
}
