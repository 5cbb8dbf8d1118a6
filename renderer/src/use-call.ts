import { useState } from 'react';
import type { ApiError, ApiInput, ApiMethod, ApiOutputs } from '../../server/api/contract.ts';
import { useApi } from './app-context.tsx';

/** Runs one API call with busy/error state for a form. */
export function useCall() {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M] | null> {
    setBusy(true);
    setError(null);
    try {
      const result = await api.call(method, input);
      if (!result.ok) {
        setError(result.error);
        return null;
      }
      return result.value;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
