import type { MessageRow } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';
import { callerLabel, formatDuration } from '../i18n.ts';

/** Messages, newest first, appearing the moment they are stored and marked once they are safely downloaded. */
export function MessageList({ messages }: { readonly messages: readonly MessageRow[] }) {
  const language = useLanguage();
  const t = useT();
  const time = new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <section className="card">
      <h2>{t('messages')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t('noMessages')}</p>
      ) : (
        <table data-testid="messages">
          <thead>
            <tr>
              <th>{t('timeCol')}</th>
              <th>{t('caller')}</th>
              <th>{t('durationCol')}</th>
              <th>{t('statusCol')}</th>
              <th>{t('downloadedCol')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.slice(0, 50).map((m) => (
              <tr key={m.recordingSid} data-recording={m.recordingSid} data-status={m.status} data-downloaded={String(m.downloaded)}>
                <td className="when">{time.format(new Date(m.createdAt))}</td>
                <td className="caller" title={m.callerName ? callerLabel(language, m.caller) : undefined}>
                  {m.callerName ?? callerLabel(language, m.caller)}
                </td>
                <td className="num" data-testid="duration">{formatDuration(language, m.durationSeconds)}</td>
                <td>
                  <span className={`pill take-${m.status}`}>{t(`take_${m.status}`)}</span>
                </td>
                <td title={m.downloadError ?? ''}>{m.downloaded ? `✓ ${t('onComputer')}` : t('atTwilio')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
