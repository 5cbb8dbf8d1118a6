import { Fragment, useState } from 'react';
import type { GuestListView } from '../../../server/api/contract.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { useLanguage } from '../app-context.tsx';
import { useCall } from '../use-call.ts';
import { gt } from './guest-strings.ts';

type Guest = GuestListView['guests'][number];
interface Fields {
  name: string;
  phone: string;
  group: string;
  note: string;
  declined: boolean;
}
const empty: Fields = { name: '', phone: '', group: '', note: '', declined: false };

/** The guest list: add, edit, delete by hand, mark "won't take part", see who has left a message. */
export function GuestTable({
  guests,
  doneIds,
  onChange,
  onExport,
}: {
  readonly guests: readonly Guest[];
  readonly doneIds: readonly number[];
  readonly onChange: (view: GuestListView) => void;
  readonly onExport: () => void;
}) {
  const language = useLanguage();
  const { busy, error, run } = useCall();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [fields, setFields] = useState<Fields>(empty);
  const done = new Set(doneIds);
  const shared = new Map<string, string[]>();
  for (const g of guests) if (g.phone) shared.set(g.phone, [...(shared.get(g.phone) ?? []), g.name]);

  const save = async () => {
    const input = { name: fields.name, phone: fields.phone, group: fields.group, note: fields.note, declined: fields.declined };
    const view = editing === 'new' ? await run('addGuest', input) : typeof editing === 'number' ? await run('updateGuest', { id: editing, ...input }) : null;
    if (view) {
      onChange(view);
      setEditing(null);
      setFields(empty);
    }
  };
  const editor = (
    <tr className="editing" data-testid="guest-editor">
      <td>
        <input aria-label={gt(language, 'name')} value={fields.name} onChange={(e) => setFields({ ...fields, name: e.target.value })} autoFocus />
      </td>
      <td>
        <input aria-label={gt(language, 'phone')} value={fields.phone} inputMode="tel" placeholder="090-1234-5678" onChange={(e) => setFields({ ...fields, phone: e.target.value })} />
      </td>
      <td>
        <input aria-label={gt(language, 'group')} value={fields.group} onChange={(e) => setFields({ ...fields, group: e.target.value })} />
      </td>
      <td>
        <input aria-label={gt(language, 'note')} value={fields.note} onChange={(e) => setFields({ ...fields, note: e.target.value })} />
      </td>
      <td>
        <input type="checkbox" aria-label={gt(language, 'declined')} checked={fields.declined} onChange={(e) => setFields({ ...fields, declined: e.target.checked })} />
      </td>
      <td />
      <td className="actions">
        <button type="button" className="primary" disabled={busy || fields.name.trim() === ''} onClick={() => void save()}>
          {gt(language, 'save')}
        </button>
        <button type="button" onClick={() => setEditing(null)}>
          {gt(language, 'cancel')}
        </button>
      </td>
    </tr>
  );

  return (
    <section className="card" data-testid="guest-list">
      <div className="toolbar">
        <h2 className="grow">{gt(language, 'listTitle', { n: guests.length })}</h2>
        <button
          type="button"
          onClick={() => {
            setFields(empty);
            setEditing('new');
          }}
        >
          {gt(language, 'addGuest')}
        </button>
        <button type="button" disabled={guests.length === 0} onClick={onExport}>
          {gt(language, 'exportCsv')}
        </button>
      </div>
      <ErrorBox error={error} />
      {guests.length === 0 && editing !== 'new' ? (
        <p className="muted">{gt(language, 'emptyList')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{gt(language, 'name')}</th>
              <th>{gt(language, 'phone')}</th>
              <th>{gt(language, 'group')}</th>
              <th>{gt(language, 'note')}</th>
              <th>{gt(language, 'declined')}</th>
              <th>{gt(language, 'message')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {editing === 'new' ? editor : null}
            {guests.map((g) =>
              editing === g.id ? (
                <Fragment key={g.id}>{editor}</Fragment>
              ) : (
                <tr key={g.id} data-guest={g.name} className={g.declined ? 'declined' : ''}>
                  <td>{g.name}</td>
                  <td>
                    {g.phoneInput || g.phone || ''}
                    {g.phone && (shared.get(g.phone)?.length ?? 0) > 1 ? (
                      <div className="muted small">{gt(language, 'sharedNumber', { names: (shared.get(g.phone) ?? []).filter((n) => n !== g.name).join(', ') })}</div>
                    ) : null}
                  </td>
                  <td>{g.group}</td>
                  <td className="small">{g.note}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${gt(language, 'declined')} ${g.name}`}
                      checked={g.declined}
                      onChange={async (e) => {
                        const view = await run('updateGuest', { id: g.id, name: g.name, phone: g.phoneInput, group: g.group, note: g.note, declined: e.target.checked });
                        if (view) onChange(view);
                      }}
                    />
                  </td>
                  <td>
                    {done.has(g.id) ? (
                      <span className="pill take-kept">{gt(language, 'received')}</span>
                    ) : g.declined ? (
                      <span className="pill">{gt(language, 'declined')}</span>
                    ) : (
                      <span className="pill">{gt(language, 'notYet')}</span>
                    )}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() => {
                        setFields({ name: g.name, phone: g.phoneInput, group: g.group, note: g.note, declined: g.declined });
                        setEditing(g.id);
                      }}
                    >
                      {gt(language, 'edit')}
                    </button>
                    <button
                      type="button"
                      onClick={async () => {
                        if (!window.confirm(gt(language, 'confirmRemove', { name: g.name }))) return;
                        const view = await run('deleteGuest', { id: g.id });
                        if (view) onChange(view);
                      }}
                    >
                      {gt(language, 'remove')}
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
