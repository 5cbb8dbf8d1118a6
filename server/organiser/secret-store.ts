/** Where secrets live: the encrypted vault in Electron, memory in web/headless mode. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(values: Readonly<Record<string, string>>): Promise<void>;
}

/**
 * Secrets kept for this run only (web mode has no OS keychain). Headless mode fills it from
 * environment variables; nothing is written to disk.
 */
export function memorySecrets(initial: Readonly<Record<string, string | undefined>> = {}): SecretStore {
  const values = new Map(Object.entries(initial).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  return {
    get: async (name) => values.get(name) ?? null,
    set: async (next) => {
      for (const [name, value] of Object.entries(next)) values.set(name, value);
    },
  };
}

/** Secret names. */
export const SECRET = {
  accountSid: 'twilio.accountSid',
  authToken: 'twilio.authToken',
  apiKeySid: 'twilio.apiKeySid',
  apiKeySecret: 'twilio.apiKeySecret',
  ngrokAuthtoken: 'ngrok.authtoken',
} as const;
