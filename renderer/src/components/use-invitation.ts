import { useEffect, useState } from 'react';
import type { ApiOutputs } from '../../../server/api/contract.ts';
import { useCall } from '../use-call.ts';

/** The guest link's QR code (PNG and SVG) while the link is on with an address; null otherwise. */
export function useGuestLinkQr(url: string | null) {
  const qr = useCall();
  const [code, setCode] = useState<ApiOutputs['getGuestLinkQr'] | null>(null);
  useEffect(() => {
    if (!url) return setCode(null);
    void qr.run('getGuestLinkQr', {}).then((value) => value && setCode(value));
  }, [url]);
  return { code, error: qr.error };
}

/** Saves the invitation's deadline; shows what was typed at once, and the saved value as it arrives. */
export function useInvitationDeadline(saved: string) {
  const save = useCall();
  const [deadline, setDeadline] = useState(saved);
  useEffect(() => setDeadline(saved), [saved]);
  const change = (value: string) => {
    setDeadline(value);
    void save.run('setInvitationDeadline', { deadline: value });
  };
  return { deadline, change, error: save.error };
}
