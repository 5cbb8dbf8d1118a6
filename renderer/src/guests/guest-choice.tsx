import type { LibraryEntry } from '../../../server/api/contract.ts';
import { useApi, useLanguage } from '../app-context.tsx';
import { gt } from './guest-strings.ts';

/**
 * Under a message's name in the library: which guest it is from. A shared number asks which
 * one it was; a match can be overridden for this message only.
 */
export function GuestChoice({ entry, onChange }: { readonly entry: LibraryEntry; readonly onChange: (entries: readonly LibraryEntry[]) => void }) {
  const api = useApi();
  const language = useLanguage();
  const { guest } = entry;
  if (guest.kind === 'none') return null;
  const choose = async (value: string) => {
    const choice = value === 'match' ? { kind: 'match' as const } : value === 'not-listed' ? { kind: 'not-listed' as const } : { kind: 'guest' as const, guestId: Number(value) };
    const result = await api.call('chooseTakeGuest', { recordingSid: entry.recordingSid, choice });
    if (result.ok) onChange(result.value.entries);
  };
  if (guest.kind === 'shared') {
    return (
      <label className="guest-choice small warn-text">
        {gt(language, 'whoWasIt')}
        <select aria-label={`${gt(language, 'whoWasIt')} ${entry.callerNumber}`} value="" onChange={(e) => void choose(e.target.value)}>
          <option value="" disabled>
            …
          </option>
          {guest.candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          <option value="not-listed">{gt(language, 'notListed')}</option>
        </select>
      </label>
    );
  }
  return (
    <div className="guest-choice muted small" data-guest-kind={guest.kind}>
      {guest.kind === 'not-listed' ? gt(language, 'notListed') : `${guest.guest.name} · ${gt(language, 'fromList')}`}
      {guest.kind === 'chosen' || guest.kind === 'not-listed' ? (
        <>
          {' '}
          <button type="button" className="link" onClick={() => void choose('match')}>
            ↺
          </button>
        </>
      ) : null}
    </div>
  );
}
