/** Why the link failed or ended: a headline, what to do, and main's details in the UI language. */
import type { AppError } from '../../../../shared/result.ts';
import { errorText, type Translate } from '../../i18n/translate.ts';
import { AlertIcon } from '../../ui/icons.tsx';
import { errorHeadline, errorHint } from './statusText.ts';

export function LinkErrorCallout({ error, t }: { error: AppError; t: Translate }) {
  const hint = errorHint(error.code, t);
  return (
    <div className="callout callout-error" role="alert" data-testid="link-error" data-code={error.code}>
      <div className="callout-title">
        <AlertIcon />
        {errorHeadline(error.code, t)}
      </div>
      <p>{hint ?? errorText(t, error)}</p>
      {hint && <p className="callout-detail">{errorText(t, error)}</p>}
    </div>
  );
}
