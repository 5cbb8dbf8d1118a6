import { useState } from 'react';
import type { OrganiserState, Language } from '../../../server/api/contract.ts';
import type { GuestListView } from '../../../server/api/contract.ts';
import { useLanguage } from '../app-context.tsx';
import { gt } from './guest-strings.ts';

type Guest = GuestListView['guests'][number];

/** The invitation's words for one guest (or everyone), in Japanese or English: the number, the deadline, tips. */
export function invitationText(language: Language, input: { readonly name: string | null; readonly phone: string; readonly deadline: string }): string {
  const date = input.deadline ? new Date(`${input.deadline}T12:00:00`) : null;
  const day = date && !Number.isNaN(date.getTime()) ? new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { month: 'long', day: 'numeric', weekday: 'short' }).format(date) : '';
  const greeting = input.name ? (language === 'ja' ? `${input.name}さん、こんにちは。\n` : `Hi ${input.name},\n`) : '';
  const by = day ? (language === 'ja' ? `${day}までに、` : ` - please leave yours by ${day}`) : '';
  return gt(language, 'invitationDefault', { greeting, by, phone: input.phone || '—' });
}

/** Invitation per guest or for everyone: editable, copy for LINE, an email draft, a printable page. */
export function InvitationCard({ state, guests }: { readonly state: OrganiserState; readonly guests: readonly Guest[] }) {
  const appLanguage = useLanguage();
  const [language, setLanguage] = useState<Language>(appLanguage);
  const [guestId, setGuestId] = useState<number | null>(null);
  const [deadline, setDeadline] = useState('');
  const [edited, setEdited] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const guest = guests.find((g) => g.id === guestId) ?? null;
  const text = edited ?? invitationText(language, { name: guest?.name ?? null, phone: state.twilio.phoneNumber ?? '', deadline });
  const regenerate = () => setEdited(null);

  return (
    <section className="card invitation" data-testid="invitation">
      <h2>{gt(appLanguage, 'invitationTitle')}</h2>
      <div className="toolbar">
        <label className="inline">
          {gt(appLanguage, 'invitationFor')}
          <select
            value={guestId ?? ''}
            onChange={(e) => {
              setGuestId(e.target.value === '' ? null : Number(e.target.value));
              regenerate();
            }}
          >
            <option value="">{gt(appLanguage, 'everyone')}</option>
            {guests.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          {gt(appLanguage, 'invitationLanguage')}
          <select
            value={language}
            onChange={(e) => {
              setLanguage(e.target.value === 'en' ? 'en' : 'ja');
              regenerate();
            }}
          >
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
        <label className="inline">
          {gt(appLanguage, 'deadline')}
          <input
            type="date"
            value={deadline}
            onChange={(e) => {
              setDeadline(e.target.value);
              regenerate();
            }}
          />
        </label>
      </div>
      <textarea className="invitation-text" aria-label={gt(appLanguage, 'invitationTitle')} rows={10} value={text} onChange={(e) => setEdited(e.target.value)} />
      <div className="row">
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? gt(appLanguage, 'copied') : gt(appLanguage, 'copy')}
        </button>
        <a className="button" href={`mailto:?subject=${encodeURIComponent(gt(language, 'invitationSubject'))}&body=${encodeURIComponent(text)}`}>
          {gt(appLanguage, 'emailDraft')}
        </a>
        <button type="button" onClick={() => window.print()}>
          {gt(appLanguage, 'print')}
        </button>
      </div>
      {/* What the printed page shows: only the invitation. */}
      <div className="print-only" data-testid="invitation-print">
        {text}
      </div>
    </section>
  );
}
