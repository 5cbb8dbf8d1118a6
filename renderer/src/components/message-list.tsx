import type { Language, MessageRow } from '../../../server/api/contract.ts';
import { callerLabel, t } from '../i18n.ts';

/** Messages, newest first, appearing the moment they are stored and marked once they are safely downloaded. */
export function MessageList({ messages, language }: { readonly messages: readonly MessageRow[]; readonly language: Language }) {
  const time = new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <section className="card">
      <h2>{t(language, 'messages')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t(language, 'noMessages')}</p>
      ) : (
        <table data-testid="messages">
          <thead>
            <tr>
              <th>{t(language, 'timeCol')}</th>
              <th>{t(language, 'caller')}</th>
              <th>{t(language, 'durationCol')}</th>
              <th>{t(language, 'statusCol')}</th>
              <th>{t(language, 'downloadedCol')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.slice(0, 50).map((m) => (
              <tr key={m.recordingSid} data-recording={m.recordingSid} data-status={m.status} data-downloaded={String(m.downloaded)}>
                <td>{time.format(new Date(m.createdAt))}</td>
                <td>{callerLabel(language, m.caller, m.callerWithheld)}</td>
                <td className="num">{m.durationSeconds}s</td>
                <td>
                  <span className={`pill take-${m.status}`}>{t(language, `take_${m.status}`)}</span>
                </td>
                <td title={m.downloadError ?? ''}>{m.downloaded ? `✓ ${t(language, 'onComputer')}` : t(language, 'atTwilio')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
