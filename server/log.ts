/** Minimal structured logger; the core never writes to the console directly. */
export interface Log {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Logs one line per event to stderr, so stdout stays for the endpoint lines scripts read. */
export function consoleLog(): Log {
  const write = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${extra}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that keeps entries in memory (tests read it to check what was logged). */
export function memoryLog(): Log & { readonly entries: { level: string; message: string; fields?: unknown }[] } {
  const entries: { level: string; message: string; fields?: unknown }[] = [];
  const push = (level: string) => (message: string, fields?: unknown) => void entries.push({ level, message, fields });
  return { entries, info: push('info'), warn: push('warn'), error: push('error') };
}
