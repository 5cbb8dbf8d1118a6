import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFlowSettings, type FlowSettings } from '../../server/call-flow/flow-settings.ts';
import { createCore, type Core } from '../../server/core.ts';
import type { GuestLimits } from '../../server/guest-link/guest-router.ts';
import { listen, type Listening } from '../../server/listen.ts';
import { memoryLog, type Log } from '../../server/log.ts';
import { LoopbackTunnel } from '../../server/tunnel/loopback-tunnel.ts';
import { RENDERER_DIR } from './browser.ts';

export interface GuestHarness {
  readonly core: Core;
  readonly twiml: Listening;
  /** The tunnel's address (what guests reach). */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** `{publicUrl}/g/{token}` for the current token. */
  link(): string;
  close(): Promise<void>;
}

/** The core behind a real loopback "tunnel", with the guest link switched on. */
export async function startGuestLink(options: { readonly settings?: Partial<FlowSettings>; readonly limits?: GuestLimits; readonly pageDir?: string; readonly log?: Log } = {}): Promise<GuestHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shukuden-guest-'));
  const core = createCore({ dataDir, authToken: 'f'.repeat(32), publicUrl: 'http://placeholder.invalid', log: options.log ?? memoryLog(), guestPageDir: options.pageDir ?? RENDERER_DIR, guestLimits: options.limits });
  core.settings.saveFlow({ ...defaultFlowSettings('en'), ...options.settings });
  const twiml = await listen(core.httpApp, { port: 0, host: '127.0.0.1' });
  const tunnel = new LoopbackTunnel();
  const publicUrl = (await tunnel.open(twiml.url)).url;
  core.setPublicUrl(publicUrl);
  core.guestLink.update({ enabled: true });
  return {
    core,
    twiml,
    publicUrl,
    dataDir,
    link: () => core.guestLink.url(publicUrl),
    async close() {
      await tunnel.close();
      await twiml.close();
      core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
