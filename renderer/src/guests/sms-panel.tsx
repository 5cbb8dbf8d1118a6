import { useEffect, useState } from 'react';
import { smsCost, type ApiOutputs, type Language, type OrganiserState } from '../../../server/api/contract.ts';
import { useApi, useLanguage } from '../app-context.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { buildInvitation, invitationBasis } from '../components/guest-invitation.ts';
import { useCall } from '../use-call.ts';
import { gt, type GuestStringKey } from './guest-strings.ts';

type Options = ApiOutputs['getSmsOptions'];
type Plan = ApiOutputs['previewSms'];
type Kind = 'invitation' | 'reminder';

/**
 * SMS invitations and reminders from the Twilio number — offered only when the number can
 * send SMS (otherwise the reason is shown instead). Preview first: exactly what goes out, to whom.
 */
export function SmsPanel({ state, names }: { readonly state: OrganiserState; readonly names: ReadonlyMap<number, string> }) {
  const api = useApi();
  const language = useLanguage();
  const { busy, error, run } = useCall();
  const [options, setOptions] = useState<Options | null>(null);
  const [kind, setKind] = useState<Kind>('invitation');
  const [text, setText] = useState<string | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [excluded, setExcluded] = useState<ReadonlySet<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  // The one invitation builder, in its SMS form (short, no tips), as an invitation or a reminder; {name} is filled per guest.
  const template = text ?? buildInvitation({ ...invitationBasis(state), language, channel: 'sms', guestName: '{name}', reminder: kind === 'reminder' }).text;

  // Refresh with every pushed change (delivery statuses arrive by Twilio's callback).
  useEffect(() => {
    void api.call('getSmsOptions', {}).then((result) => {
      if (result.ok) setOptions(result.value);
    });
  }, [api, state]);

  if (!options) return null;
  if (!options.available) {
    return (
      <section className="card sms" data-testid="sms-unavailable">
        <h2>{gt(language, 'smsTitle')}</h2>
        <p className="muted">{options.reason ? options.reason[language] : ''}</p>
      </section>
    );
  }
  const latest = new Map<number, Options['sends'][number]>();
  for (const s of options.sends) latest.set(s.guestId, s);
  const chosen = plan?.recipients.filter((r) => !excluded.has(r.guestId)) ?? [];

  return (
    <section className="card sms" data-testid="sms">
      <h2>{gt(language, 'smsTitle')}</h2>
      <p className="muted small">{gt(language, 'smsFrom', { from: options.from ?? '' })}</p>
      <div className="toolbar">
        {(['invitation', 'reminder'] as const).map((k) => (
          <label key={k} className="inline">
            <input
              type="radio"
              name="sms-kind"
              checked={kind === k}
              onChange={() => {
                setKind(k);
                setText(null);
                setPlan(null);
              }}
            />{' '}
            {gt(language, k === 'invitation' ? 'smsInvitation' : 'smsReminder')}
          </label>
        ))}
        {kind === 'reminder' ? (
          <span className="muted small">
            {gt(language, 'smsRound', { n: options.reminderRound })}{' '}
            <button
              type="button"
              className="link"
              onClick={async () => {
                const next = await run('newReminderRound', {});
                if (next) setOptions(next);
                setPlan(null);
              }}
            >
              {gt(language, 'smsNewRound')}
            </button>
          </span>
        ) : null}
      </div>
      <label>
        {gt(language, 'smsText')}
        <textarea rows={6} value={template} onChange={(e) => setText(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setNotice(null);
          setExcluded(new Set());
          setPlan(await run('previewSms', { kind, template }));
        }}
      >
        {gt(language, 'smsPreview')}
      </button>
      {plan ? (
        <div className="sms-preview" data-testid="sms-preview">
          <p>
            <strong>{gt(language, 'smsWillSend', { n: chosen.length, segments: chosen.reduce((n, r) => n + r.segments, 0) })}</strong>
            <br />
            <SmsPriceLine language={language} recipients={chosen} />
          </p>
          <ul className="sms-recipients">
            {plan.recipients.map((r) => (
              <li key={r.guestId}>
                <label className="inline">
                  <input
                    type="checkbox"
                    aria-label={r.name}
                    checked={!excluded.has(r.guestId)}
                    onChange={(e) => {
                      const next = new Set(excluded);
                      if (e.target.checked) next.delete(r.guestId);
                      else next.add(r.guestId);
                      setExcluded(next);
                    }}
                  />
                  <strong>{r.name}</strong> <span className="muted small">{r.to}</span>
                </label>
                <div className="sms-body small">{r.body}</div>
              </li>
            ))}
          </ul>
          {plan.skipped.length > 0 ? (
            <details>
              <summary>
                {gt(language, 'smsSkipped')} ({plan.skipped.length})
              </summary>
              <ul>
                {plan.skipped.map((s) => (
                  <li key={s.guestId}>
                    {s.name}: <span className="muted">{s.text[language]}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <button
            type="button"
            className="primary"
            disabled={busy || chosen.length === 0}
            onClick={async () => {
              const result = await run('sendSms', { kind, template, guestIds: chosen.map((r) => r.guestId) });
              if (result) {
                setPlan(null);
                setNotice(gt(language, 'smsSent', { n: result.sent }));
              }
            }}
          >
            {gt(language, 'smsSend', { n: chosen.length })}
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className="toast" role="status">
          {notice}
        </div>
      ) : null}
      <ErrorBox error={error} />
      {latest.size > 0 ? (
        <table className="sms-status" data-testid="sms-status">
          <thead>
            <tr>
              <th>{gt(language, 'name')}</th>
              <th>{gt(language, 'smsStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {[...latest.values()].map((s) => (
              <tr key={s.guestId} data-sms-guest={names.get(s.guestId) ?? ''} data-status={s.status}>
                <td>{names.get(s.guestId) ?? '—'}</td>
                <td>
                  <span className={`pill sms-${s.status}`}>{gt(language, `sms_${s.status}` as GuestStringKey)}</span>
                  {s.problem ? <div className="small muted">{s.problem[language]}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** Twilio's price for the chosen recipients: per segment and the round's total, or that it is unknown. */
function SmsPriceLine({ language, recipients }: { readonly language: Language; readonly recipients: Plan['recipients'] }) {
  const cost = smsCost(recipients);
  switch (cost.kind) {
    case 'nothing':
      return null;
    case 'unknown':
      return (
        <span className="muted small" data-testid="sms-price" data-known="false">
          {gt(language, 'smsPriceUnknown', { n: cost.unknownFor })}
        </span>
      );
    case 'known': {
      const range = ({ min, max }: { readonly min: number; readonly max: number }, precise: boolean) => {
        const [low, high] = [money(language, cost.unit, min, precise), money(language, cost.unit, max, precise)];
        return low === high ? high : gt(language, 'smsPriceRange', { min: low, max: high });
      };
      return (
        <span className="small" data-testid="sms-price" data-known="true">
          {gt(language, 'smsPriceKnown', { per: range(cost.perSegment, true), total: range(cost.total, false) })}
        </span>
      );
    }
    default:
      return cost satisfies never;
  }
}

/** An amount in Twilio's currency: a price per segment to 4 decimals (fractions of a cent), a total to the currency's usual ones. */
function money(language: Language, unit: string, amount: number, precise: boolean): string {
  try {
    const usual = new Intl.NumberFormat(language, { style: 'currency', currency: unit }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(language, { style: 'currency', currency: unit, minimumFractionDigits: usual, maximumFractionDigits: precise ? Math.max(usual, 4) : usual }).format(amount);
  } catch {
    // Not a currency code Intl knows: the number and Twilio's unit as they are.
    return `${amount} ${unit}`;
  }
}
