/**
 * `Twilio.Response` as Twilio's Functions runtime provides it to handlers: a status code,
 * headers and a body, set piece by piece. Strings are sent as they are, Buffers as bytes,
 * anything else as JSON.
 */
export class RuntimeResponse {
  #statusCode = 200;
  #headers: Record<string, string | number> = {};
  #body: unknown = undefined;

  setStatusCode(statusCode: number): void {
    this.#statusCode = statusCode;
  }

  setBody(body: unknown): void {
    this.#body = body;
  }

  /** Replaces every header (ignored unless given an object, as Twilio's runtime does). */
  setHeaders(headers: Record<string, string | number>): void {
    if (typeof headers !== 'object' || headers === null) return;
    this.#headers = { ...headers };
  }

  appendHeader(key: string, value: string | number): void {
    this.#headers[key] = value;
  }

  /** What goes on the wire. */
  toReply(): { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer } {
    const headers = Object.fromEntries(Object.entries(this.#headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const body = this.#body;
    if (body === undefined || body === null) return { status: this.#statusCode, headers, body: Buffer.alloc(0) };
    if (typeof body === 'string') return { status: this.#statusCode, headers, body: Buffer.from(body, 'utf8') };
    if (body instanceof Uint8Array) return { status: this.#statusCode, headers, body: Buffer.from(body) };
    return { status: this.#statusCode, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body), 'utf8') };
  }
}
