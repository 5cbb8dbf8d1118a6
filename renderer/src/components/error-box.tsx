import type { ApiError } from '../../../server/api/contract.ts';
import { useLanguage } from '../app-context.tsx';
import { errorText } from '../i18n.ts';

/** An error as the organiser reads it: what happened and what to do, with the other language on hover. */
export function ErrorBox({ error }: { readonly error: ApiError | null }) {
  const language = useLanguage();
  if (!error) return null;
  return (
    <div className="error" role="alert" data-code={error.code} title={language === 'ja' ? error.en : error.ja}>
      {errorText(language, error)}
    </div>
  );
}
