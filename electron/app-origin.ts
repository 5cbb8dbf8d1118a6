/**
 * Where the desktop window's page comes from, and who may speak for it. Pure (no Electron), so
 * it is tested in Node: the window loads `shukuden-app://ui/index.html` (a privileged custom
 * scheme, so the CSP header applies and there is no file:// access), and only that page's top
 * frame on exactly that origin may call the organiser API or use the microphone.
 */
import { resolve, sep } from 'node:path';

export const APP_SCHEME = 'shukuden-app';
export const APP_ORIGIN = `${APP_SCHEME}://ui`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** `scheme://host[:port]` of a URL ("null" origins of custom schemes spelled out); '' when it isn't one. */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : '';
  } catch {
    return '';
  }
}

/** A frame that may call the API: our window's top frame, showing our page. */
export interface Sender {
  readonly fromOurWindow: boolean;
  readonly topFrame: boolean;
  readonly url: string;
}

export function isOurPage(sender: Sender, appOrigin: string): boolean {
  return sender.fromOurWindow && sender.topFrame && originOf(sender.url) === appOrigin;
}

/** A permission request or check, as Electron describes it. */
export interface PermissionAsk extends Sender {
  readonly permission: string;
  /** What a `media` request wants ('audio', 'video'); a check names one. */
  readonly mediaTypes: readonly string[];
}

/** The rehearsal call's microphone for our own page; nothing else, for no one else. */
export function allowPermission(ask: PermissionAsk, appOrigin: string): boolean {
  return isOurPage(ask, appOrigin) && ask.permission === 'media' && ask.mediaTypes.length > 0 && ask.mediaTypes.every((type) => type === 'audio');
}

/** The file a `shukuden-app://ui/…` request stands for, inside the built renderer; null for anything else. */
export function rendererFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  return file.startsWith(root + sep) ? file : null;
}
