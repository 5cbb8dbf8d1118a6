import type { OpenTunnel, TunnelProvider } from './tunnel-provider.ts';

/**
 * "I have my own public URL": a reverse proxy or cloud host already forwards to this app.
 * Nothing is opened; the line is verified through that URL like any tunnel.
 */
export function fixedUrlTunnel(publicUrl: string): TunnelProvider {
  return {
    kind: 'public-url',
    open: async (): Promise<OpenTunnel> => ({ url: publicUrl.replace(/\/+$/, ''), close: async () => undefined }),
  };
}
