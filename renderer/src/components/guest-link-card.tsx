import { useState } from 'react';
import type { OrganiserState, Language } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';
import { useCall } from '../use-call.ts';
import { copyText } from './copy-text.ts';
import { DeadlineField } from './deadline-field.tsx';
import { ErrorBox } from './error-box.tsx';
import { buildInvitation, invitationBasis, type InvitationChannel } from './guest-invitation.ts';
import { useGuestLinkQr, useInvitationDeadline } from './use-invitation.ts';

/** The guest link for the organiser: on/off, the link, copy, QR code, the invitation, and whether it works now. */
export function GuestLinkCard({ state, full = false }: { readonly state: OrganiserState; readonly full?: boolean }) {
  const { guestLink } = state;
  const language = useLanguage();
  const t = useT();
  const toggle = useCall();
  const regenerate = useCall();
  const [copied, setCopied] = useState<string | null>(null);
  const [title, setTitle] = useState(guestLink.title);
  const url = guestLink.enabled ? guestLink.url : null;
  const qr = useGuestLinkQr(url);
  const code = qr.code;
  const copy = async (what: string, text: string) => {
    if (await copyText(text)) setCopied(what);
  };
  return (
    <section className="card guest-link" data-testid="guest-link">
      <h2>{t('guestLinkSection')}</h2>
      <label className="inline">
        <input type="checkbox" name="guestLink" checked={guestLink.enabled} disabled={toggle.busy} onChange={(e) => void toggle.run('setGuestLink', { enabled: e.target.checked })} />{' '}
        {t('guestLinkToggle')}
      </label>
      <p className={guestLink.working ? 'ok-text' : 'muted'} data-testid="guest-link-status">
        {guestLink.status[language]}
      </p>
      <ErrorBox error={toggle.error} />
      {guestLink.enabled ? (
        <>
          <p className="warning" data-testid="surprise-warning">{t('surpriseWarning')}</p>
          {url ? (
            <div className="guest-url">
              <code data-testid="guest-link-url">{url}</code>
              <button type="button" onClick={() => void copy('link', url)}>
                {copied === 'link' ? `✓ ${t('copied')}` : t('copyLink')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('guestLinkNoAddress')}</p>
          )}
          {guestLink.ngrokWarning !== 'none' ? <p className="muted small" data-testid="ngrok-warning">{t(guestLink.ngrokWarning === 'free' ? 'ngrokFreeWarning' : 'ngrokMaybeWarning')}</p> : null}
          {code ? (
            <div className="qr">
              <img src={code.png} alt={t('qrCode')} width={160} height={160} data-testid="guest-link-qr" />
              <div>
                <a className="button" href={code.png} download="shukuden-guest-link.png">
                  {t('downloadPng')}
                </a>{' '}
                <a className="button" href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}`} download="shukuden-guest-link.svg">
                  {t('downloadSvg')}
                </a>
              </div>
            </div>
          ) : null}
          <ErrorBox error={qr.error} />
          {full ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void toggle.run('setGuestLink', { title });
              }}
            >
              <label>
                {t('guestLinkTitle')}
                <input name="guestTitle" value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} placeholder="Aiko & Ken" />
              </label>
              <button type="submit" disabled={toggle.busy}>
                {t('save')}
              </button>
            </form>
          ) : null}
          <Invitation state={state} open={full} onCopy={(text) => void copy('invitation', text)} copied={copied === 'invitation'} />
          {full ? (
            <p>
              <button type="button" className="link" disabled={regenerate.busy} onClick={() => void regenerate.run('regenerateGuestLink', {})}>
                {t('newLink')}
              </button>
              <ErrorBox error={regenerate.error} />
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Invitation({ state, open, onCopy, copied }: { readonly state: OrganiserState; readonly open: boolean; readonly onCopy: (text: string) => void; readonly copied: boolean }) {
  const language = useLanguage();
  const t = useT();
  const [inviteLanguage, setInviteLanguage] = useState<Language>(language);
  const [channel, setChannel] = useState<InvitationChannel>('line');
  const deadline = useInvitationDeadline(state.invitation.deadline);
  const invitation = buildInvitation({ ...invitationBasis(state), deadline: deadline.deadline, language: inviteLanguage, channel });
  const text = channel === 'email' ? `${invitation.subject}\n\n${invitation.text}` : invitation.text;
  return (
    <details className="invitation" open={open}>
      <summary>{t('invitation')}</summary>
      <div className="row">
        <label>
          {t('invitationLanguage')}
          <select name="inviteLanguage" value={inviteLanguage} onChange={(e) => setInviteLanguage(e.target.value === 'en' ? 'en' : 'ja')}>
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t('invitationChannel')}
          <select name="inviteChannel" value={channel} onChange={(e) => setChannel(e.target.value as InvitationChannel)}>
            {(['line', 'email', 'sms'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`channel_${c}`)}
              </option>
            ))}
          </select>
        </label>
        <DeadlineField caption={t('deadline')} name="deadline" value={deadline.deadline} onChange={deadline.change} />
      </div>
      <ErrorBox error={deadline.error} />
      <textarea readOnly rows={13} value={text} data-testid="invitation-text" lang={inviteLanguage} />
      <button type="button" onClick={() => onCopy(text)}>
        {copied ? `✓ ${t('copied')}` : t('copyInvitation')}
      </button>
    </details>
  );
}
