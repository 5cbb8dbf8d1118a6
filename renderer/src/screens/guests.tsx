import { useEffect, useState } from 'react';
import type { OrganiserState } from '../../../server/api/contract.ts';
import type { GuestListView } from '../../../server/api/contract.ts';
import { useApi } from '../app-context.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { GuestImportPanel } from '../guests/guest-import-panel.tsx';
import { GuestProgressCard } from '../guests/guest-progress-card.tsx';
import { InvitationCard } from '../guests/invitation-card.tsx';
import { GuestTable } from '../guests/guest-table.tsx';
import { SmsPanel } from '../guests/sms-panel.tsx';
import { useCall } from '../use-call.ts';

/** The Guests screen: who hasn't left a message yet, the list itself, import and export. */
export function Guests({ state }: { readonly state: OrganiserState }) {
  const api = useApi();
  const [view, setView] = useState<GuestListView>({ guests: [] });
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useCall();

  // Refresh whenever the core pushes a change (a message arrived, the list changed).
  useEffect(() => {
    void api.call('getGuests', {}).then((result) => {
      if (result.ok) setView(result.value);
    });
  }, [api, state]);

  const exportCsv = async () => {
    const file = await run('exportGuests', {});
    if (!file) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([file.text], { type: 'text/csv;charset=utf-8' }));
    link.download = file.fileName;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <main className="wide guests-screen">
      {view.guests.length > 0 ? <GuestProgressCard state={state} /> : null}
      {notice ? (
        <div className="toast" role="status">
          {notice}
        </div>
      ) : null}
      <GuestTable guests={view.guests} doneIds={state.guests.doneIds} onChange={setView} onExport={() => void exportCsv()} />
      <ErrorBox error={error} />
      <InvitationCard state={state} guests={view.guests} />
      {view.guests.length > 0 ? <SmsPanel state={state} names={new Map(view.guests.map((g) => [g.id, g.name]))} /> : null}
      <GuestImportPanel onImported={setNotice} />
    </main>
  );
}
