import type * as Http from 'node:http';
import { PATHS } from '../call-flow/paths.ts';
import { cjsRequire } from '../cjs-require.ts';
import { expectedSignature } from '../public/twilio-signature.ts';
import { parseTwiml } from '../twiml/parse.ts';
import { UserError } from '../user-error.ts';
import { probeAnswer, type ProbeBook } from './probe-book.ts';

/**
 * Proves the line works end to end: sends a request signed like Twilio's to our own public
 * voice URL, through the tunnel, and checks that this app answered with the right TwiML.
 * Fails closed: anything else — unreachable, refused, not TwiML, another server — throws.
 */
export async function verifyConnection(options: { readonly publicUrl: string; readonly authToken: string; readonly probes: ProbeBook; readonly timeoutMs?: number }): Promise<void> {
  const url = `${options.publicUrl.replace(/\/+$/, '')}${PATHS.voice}`;
  const nonce = options.probes.issue();
  const params = { ShukudenProbe: nonce };
  let response: { readonly status: number; readonly body: string };
  try {
    response = await postForm(url, params, expectedSignature(options.authToken, url, params), options.timeoutMs ?? 10_000);
  } catch (error) {
    throw new UserError(
      'line-unreachable',
      {
        en: `The public address ${options.publicUrl} can't be reached, so Twilio couldn't reach the app either. Check the tunnel (or your own server) and the internet connection.`,
        ja: `公開アドレス ${options.publicUrl} に接続できないため、Twilio からもアプリに届きません。トンネル（または自分のサーバー）とインターネット接続を確認してください。`,
      },
      { cause: error },
    );
  }
  if (response.status === 403) {
    throw new UserError('line-signature-mismatch', {
      en: `The app refused a correctly signed test request through ${options.publicUrl}: the address the request arrives on differs from the public URL (a proxy may rewrite the host or path). Make the proxy pass the path unchanged, or correct the public URL.`,
      ja: `${options.publicUrl} 経由の正しく署名されたテストをアプリが拒否しました。届いたアドレスが公開 URL と違います（プロキシがホストやパスを書き換えている可能性）。パスをそのまま転送するか、公開 URL を直してください。`,
    });
  }
  let answered = false;
  if (response.status >= 200 && response.status < 300) {
    try {
      const verbs = parseTwiml(response.body);
      answered = verbs[0]?.kind === 'say' && verbs[0].text === probeAnswer(nonce);
    } catch {
      answered = false;
    }
  }
  if (!answered) {
    throw new UserError('line-wrong-destination', {
      en: `${options.publicUrl} answers, but not as this app (HTTP ${response.status}). The tunnel or proxy forwards somewhere else: point it at this laptop's Shukuden.`,
      ja: `${options.publicUrl} は応答しますが、このアプリではありません（HTTP ${response.status}）。トンネルやプロキシが別の場所に転送しています。このパソコンの Shukuden に向けてください。`,
    });
  }
}

/**
 * One signed form POST, redirects not followed. Plain node:http(s), not fetch: the check runs as
 * the app starts, and fetch would first load Node's undici (see cjs-require.ts).
 */
function postForm(url: string, params: Readonly<Record<string, string>>, signature: string, timeoutMs: number): Promise<{ readonly status: number; readonly body: string }> {
  const body = new URLSearchParams(params).toString();
  const { request } = cjsRequire(url.startsWith('https:') ? 'node:https' : 'node:http') as typeof Http;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-twilio-signature': signature },
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
