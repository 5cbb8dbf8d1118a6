/**
 * Preload: the only bridge between the sandboxed renderer and the main process. It exposes
 * one small surface — call an organiser API method, and receive state pushes — and nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld(
  'shukuden',
  Object.freeze({
    transport: 'ipc' as const,
    call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('shukuden:call', method, input),
    onState: (listener: (state: unknown) => void): (() => void) => {
      const handler = (_event: IpcRendererEvent, state: unknown) => listener(state);
      ipcRenderer.on('shukuden:state', handler);
      void ipcRenderer.invoke('shukuden:call', 'getState', {}).then((result: { ok: boolean; value?: unknown }) => {
        if (result.ok) listener(result.value);
      });
      return () => ipcRenderer.off('shukuden:state', handler);
    },
  }),
);
