import type { OrganiserState } from '../../../server/api/contract.ts';
import { gt } from './guest-strings.ts';

/** "Who hasn't left a message yet", by group with counts: on Home and at the top of the Guests screen. */
export function GuestProgressCard({ state, showNames = true }: { readonly state: OrganiserState; readonly showNames?: boolean }) {
  const { language, guests } = state;
  if (guests.listed === 0) {
    return (
      <section className="card guest-progress" data-testid="guest-progress">
        <h2>{gt(language, 'notYetTitle')}</h2>
        <p className="muted">{gt(language, 'noGuestsYet')}</p>
      </section>
    );
  }
  return (
    <section className="card guest-progress" data-testid="guest-progress">
      <h2>{gt(language, 'notYetTitle')}</h2>
      <p>
        <strong data-testid="guests-done">{gt(language, 'progressSummary', { done: guests.done, expected: guests.expected })}</strong>
        {guests.declined > 0 ? <span className="muted small"> · {gt(language, 'declinedCount', { n: guests.declined })}</span> : null}
      </p>
      {guests.toAsk > 0 ? <p className="warn-text small">{gt(language, 'toAsk', { n: guests.toAsk })}</p> : null}
      {guests.expected > 0 && guests.done === guests.expected ? <p className="ok-text">{gt(language, 'allDone')}</p> : null}
      <ul className="groups">
        {guests.groups.map((g) => (
          <li key={g.group} className="group" data-group={g.group}>
            <div className="group-head">
              <span className="group-name">{g.group || gt(language, 'noGroup')}</span>
              <span className="group-count" data-testid="group-count">
                {g.done} / {g.expected}
              </span>
            </div>
            <progress max={Math.max(g.expected, 1)} value={g.done} aria-label={g.group || gt(language, 'noGroup')} />
            {showNames && g.notYet.length > 0 ? (
              <div className="not-yet small">
                {gt(language, 'notYet')}: {g.notYet.map((n) => n.name).join(language === 'ja' ? '、' : ', ')}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
