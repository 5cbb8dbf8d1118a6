/**
 * Failures a test can make the emulator produce, to see how the app copes with Twilio
 * (or the network) misbehaving. `truncate`, `corrupt` and `stall` shape a media body and
 * only apply to media downloads that would otherwise succeed.
 */
export type Fault =
  /** Twilio's error JSON with this HTTP status and code 20500. */
  | { readonly kind: 'status'; readonly status: number }
  /** Twilio's error JSON with this status, Twilio error code and message (e.g. a quota or limit refusal). */
  | { readonly kind: 'error'; readonly status: number; readonly code: number; readonly message: string }
  /** 429 with a Retry-After header and code 20429. */
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  /** Waits, then answers normally. */
  | { readonly kind: 'slow'; readonly ms: number }
  /** Destroys the socket without any response. */
  | { readonly kind: 'drop' }
  /** Media: headers with the full Content-Length, only the first `bytes` bytes, then the socket is destroyed. */
  | { readonly kind: 'truncate'; readonly bytes: number }
  /** Media: 200 with the same length, but the RIFF header bytes garbled. */
  | { readonly kind: 'corrupt' }
  /** Media: `afterBytes` bytes, a pause of `ms`, then the rest. */
  | { readonly kind: 'stall'; readonly afterBytes: number; readonly ms: number };

/** Faults that decide whether and when a request is answered at all. */
export type RequestFault = Extract<Fault, { kind: 'status' | 'error' | 'rate-limit' | 'slow' | 'drop' }>;
/** Faults that shape a media body being sent. */
export type BodyFault = Extract<Fault, { kind: 'truncate' | 'corrupt' | 'stall' }>;

export interface FaultRule {
  /** Any method when absent. */
  readonly method?: string;
  /** Tested against the request's pathname. */
  readonly path: RegExp;
  /** How many matching requests get the fault; default 1. */
  readonly times?: number;
  readonly fault: Fault;
}

function isBodyFault(fault: Fault): fault is BodyFault {
  switch (fault.kind) {
    case 'truncate':
    case 'corrupt':
    case 'stall':
      return true;
    case 'status':
    case 'error':
    case 'rate-limit':
    case 'slow':
    case 'drop':
      return false;
    default:
      return fault satisfies never;
  }
}

/** The injected faults, consumed one `times` per matching request, first injected first. */
export class FaultBook {
  #rules: { readonly rule: FaultRule; left: number }[] = [];

  inject(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`injectFault: times must be a positive integer, got ${times}`);
    this.#rules.push({ rule, left: times });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The next request fault for this request, consuming it. */
  takeRequestFault(method: string, pathname: string): RequestFault | null {
    const fault = this.#take(method, pathname, (f) => !isBodyFault(f));
    return fault && !isBodyFault(fault) ? fault : null;
  }

  /** The next body fault for a media download about to be sent, consuming it. */
  takeBodyFault(method: string, pathname: string): BodyFault | null {
    const fault = this.#take(method, pathname, isBodyFault);
    return fault && isBodyFault(fault) ? fault : null;
  }

  #take(method: string, pathname: string, wanted: (fault: Fault) => boolean): Fault | null {
    const entry = this.#rules.find(
      ({ rule, left }) =>
        left > 0 &&
        wanted(rule.fault) &&
        (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
        // search() ignores lastIndex, so a /g or /y pattern cannot make matching stateful.
        pathname.search(rule.path) >= 0,
    );
    if (!entry) return null;
    entry.left -= 1;
    if (entry.left === 0) this.#rules = this.#rules.filter((e) => e !== entry);
    return entry.rule.fault;
  }
}
