import { useT } from '../../app-context.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useCall } from '../../use-call.ts';

export type GuestReach = 'phone' | 'link' | 'both';

/**
 * Wizard step "How will guests reach you?": a phone number (Twilio), the guest link (only the tunnel,
 * no Twilio account) or both — with the truth about Japanese numbers and what each costs guests.
 */
export function GuestReachStep({ onChosen }: { readonly onChosen: (reach: GuestReach) => void }) {
  const t = useT();
  const save = useCall();
  const choose = async (reach: GuestReach) => {
    if (await save.run('setGuestLink', { enabled: reach !== 'phone' })) onChosen(reach);
  };
  return (
    <div data-testid="reach-step">
      <h2>{t('reachTitle')}</h2>
      <div className="reach-choices">
        {(['link', 'phone', 'both'] as const).map((reach) => (
          <button key={reach} type="button" className="reach-choice" name={`reach-${reach}`} disabled={save.busy} onClick={() => void choose(reach)}>
            <strong>{t(`reach_${reach}`)}</strong>
            <span>{t(`reach_${reach}_help`)}</span>
          </button>
        ))}
      </div>
      <ErrorBox error={save.error} />
    </div>
  );
}
