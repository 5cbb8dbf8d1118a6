import type { ApiError, Language } from '../../../server/api/contract.ts';
import { errorText } from '../i18n.ts';

/** An error as the organiser reads it: what happened and what to do, with the other language on hover. */
export function ErrorBox({ error, language }: { readonly error: ApiError | null; readonly language: Language }) {
  if (!error) return null;
  return (
    <div className="error" role="alert" data-code={error.code} title={language === 'ja' ? error.en : error.ja}>
      {errorText(language, error)}
    </div>
  );
}
