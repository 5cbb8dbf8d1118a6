/**
 * Which links the desktop window may open in the organiser's browser (the window itself never
 * navigates away or opens another): only https pages of Twilio and ngrok the setup screens point
 * to. Pure (no Electron), so it is tested in Node; main.ts hands what passes to shell.openExternal.
 */
const HOSTS: ReadonlySet<string> = new Set(['www.twilio.com', 'twilio.com', 'console.twilio.com', 'support.twilio.com', 'dashboard.ngrok.com', 'ngrok.com']);

/** The URL to open in the browser, or null when the window must not open it. */
export function externalLink(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // No credentials or ports: "https://twilio.com@evil.example" is evil.example's page.
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port || !HOSTS.has(parsed.hostname)) return null;
  return parsed.href;
}
