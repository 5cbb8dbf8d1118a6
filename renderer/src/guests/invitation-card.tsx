import { useState } from 'react';
import type { OrganiserState, Language } from '../../../server/api/contract.ts';
import type { GuestListView } from '../../../server/api/contract.ts';
import { useLanguage } from '../app-context.tsx';
import { copyText } from '../components/copy-text.ts';
import { DeadlineField } from '../components/deadline-field.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { buildInvitation, invitationBasis } from '../components/guest-invitation.ts';
import { useGuestLinkQr, useInvitationDeadline } from '../components/use-invitation.ts';
import { gt } from './guest-strings.ts';

type Guest = GuestListView['guests'][number];

/**
 * Invitation per guest or for everyone (the one invitation builder: the link and/or the number,
 * the saved deadline, tips): editable, copy for LINE, an email draft, a printable page with the link's QR code.
 */
export function InvitationCard({ state, guests }: { readonly state: OrganiserState; readonly guests: readonly Guest[] }) {
  const appLanguage = useLanguage();
  const [language, setLanguage] = useState<Language>(appLanguage);
  const [guestId, setGuestId] = useState<number | null>(null);
  const deadline = useInvitationDeadline(state.invitation.deadline);
  const [edited, setEdited] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const basis = invitationBasis(state);
  const qr = useGuestLinkQr(basis.link);
  const guest = guests.find((g) => g.id === guestId) ?? null;
  const invitation = buildInvitation({ ...basis, deadline: deadline.deadline, language, channel: 'line', guestName: guest?.name ?? null });
  const text = edited ?? invitation.text;
  const regenerate = () => {
    setEdited(null);
    setCopied(false);
  };

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
        <DeadlineField
          inline
          caption={gt(appLanguage, 'deadline')}
          value={deadline.deadline}
          onChange={(value) => {
            deadline.change(value);
            regenerate();
          }}
        />
      </div>
      {basis.link === null && basis.phoneNumber === null ? <p className="warning small">{gt(appLanguage, 'invitationNothingOn')}</p> : null}
      <ErrorBox error={deadline.error} />
      <textarea className="invitation-text" aria-label={gt(appLanguage, 'invitationTitle')} rows={12} value={text} lang={language} onChange={(e) => setEdited(e.target.value)} />
      <div className="row">
        <button type="button" onClick={async () => setCopied(await copyText(text))}>
          {copied ? gt(appLanguage, 'copied') : gt(appLanguage, 'copy')}
        </button>
        <a className="button" href={`mailto:?subject=${encodeURIComponent(invitation.subject)}&body=${encodeURIComponent(text)}`}>
          {gt(appLanguage, 'emailDraft')}
        </a>
        <button type="button" onClick={() => window.print()}>
          {gt(appLanguage, 'print')}
        </button>
      </div>
      <ErrorBox error={qr.error} />
      {/* What the printed page shows: only the invitation, and the guest link's QR code to scan. */}
      <div className="print-only" data-testid="invitation-print" lang={language}>
        <div className="print-text">{text}</div>
        {qr.code ? (
          <figure className="print-qr">
            <img src={qr.code.png} alt={gt(language, 'invitationQr')} width={200} height={200} data-testid="invitation-qr" />
            <figcaption>{gt(language, 'invitationQr')}</figcaption>
          </figure>
        ) : null}
      </div>
    </section>
  );
}
