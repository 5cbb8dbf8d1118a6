import type { ApiInput, ApiMethod, ApiResult, MediaClip, OrganiserState, OrganiserApi } from '../../../server/api/contract.ts';

/** The media URL's first segment per clip (the Electron protocol's host, the web mode's path). */
const MEDIA_FOLDERS: Readonly<Record<MediaClip, string>> = { take: 'takes', name: 'names' };

/** What the Electron preload exposes (see electron/preload.ts). */
interface IpcBridge {
  readonly transport: 'ipc';
  call(method: string, input: unknown): Promise<unknown>;
  onState(listener: (state: unknown) => void): () => void;
}

declare global {
  interface Window {
    readonly shukuden?: IpcBridge;
  }
}

/** The organiser API over whichever transport this window has; the UI never needs to know which. */
export function createApi(): OrganiserApi {
  const bridge = window.shukuden;
  return bridge ? ipcApi(bridge) : httpApi(takeToken());
}

function ipcApi(bridge: IpcBridge): OrganiserApi {
  return {
    mediaUrl: (recordingSid, clip = 'take') => `shukuden-media://${MEDIA_FOLDERS[clip]}/${recordingSid}`,
    call: async <M extends ApiMethod>(method: M, input: ApiInput<M>) => (await bridge.call(method, input)) as ApiResult<M>,
    subscribe: (listener) => bridge.onState((state) => listener(state as OrganiserState)),
  };
}

/** Web mode: the per-run token arrives in the URL fragment (never sent to a server) and is kept for this tab. */
function takeToken(): string {
  const match = /token=([\w-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem('shukuden-token', match[1]);
    history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem('shukuden-token') ?? '';
}

function httpApi(token: string): OrganiserApi {
  // The browser's language: headless, the UI starts in it (not the server's LANG).
  const headers = { authorization: `Bearer ${token}`, 'x-shukuden-language': navigator.language };
  // Trade the token for the media cookie once, so <audio> and the waveform can load takes.
  void fetch('/api/session', { method: 'POST', headers }).catch(() => undefined);
  return {
    mediaUrl: (recordingSid, clip = 'take') => `/api/media/${MEDIA_FOLDERS[clip]}/${recordingSid}`,
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<M>> {
      try {
        const response = await fetch(`/api/rpc/${method}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
        return (await response.json()) as ApiResult<M>;
      } catch {
        return { ok: false, error: { code: 'offline', en: 'Shukuden is not responding. Is it still running? Start it again, then reload this page.', ja: 'Shukuden が応答しません。起動していますか？もう一度起動してから、このページを再読み込みしてください。' } };
      }
    },
    subscribe(listener) {
      const abort = new AbortController();
      void (async () => {
        // fetch-based event stream, so the token travels in a header rather than the URL.
        for (let attempt = 0; !abort.signal.aborted; attempt++) {
          try {
            const response = await fetch('/api/events', { headers, signal: abort.signal });
            const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            while (reader) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              const events = buffer.split('\n\n');
              buffer = events.pop() ?? '';
              for (const event of events) {
                const data = event.split('\n').find((line) => line.startsWith('data: '));
                if (data) listener(JSON.parse(data.slice(6)) as OrganiserState);
              }
            }
          } catch {
            // Reconnect below.
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
        }
      })();
      return () => abort.abort();
    },
  };
}
