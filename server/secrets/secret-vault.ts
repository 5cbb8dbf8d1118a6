import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { UserError } from '../user-error.ts';

/** Encrypts strings for this user on this machine (Electron's `safeStorage` in the desktop app). */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const fileSchema = z.record(z.string(), z.string());

/**
 * Secrets (Twilio auth token, ngrok token) kept encrypted in one file in the app's data
 * folder. Values never touch the disk in plain text; without OS encryption nothing is saved.
 */
export class SecretVault {
  readonly #path: string;
  readonly #encryptor: Encryptor;

  constructor(path: string, encryptor: Encryptor) {
    this.#path = path;
    this.#encryptor = encryptor;
  }

  async get(name: string): Promise<string | null> {
    const sealed = (await this.#readAll())[name];
    if (sealed === undefined) return null;
    try {
      return this.#encryptor.decryptString(Buffer.from(sealed, 'base64'));
    } catch (error) {
      throw new UserError(
        'secret-unreadable',
        {
          en: 'A saved password could not be decrypted (the computer account or keychain may have changed). Enter your Twilio and ngrok details again in Settings.',
          ja: '保存したパスワードを復号できませんでした（パソコンのアカウントやキーチェーンが変わった可能性があります）。設定から Twilio と ngrok の情報をもう一度入力してください。',
        },
        { cause: error },
      );
    }
  }

  /** Saves secrets together: all of them are written, or none. */
  async set(values: Readonly<Record<string, string>>): Promise<void> {
    if (!this.#encryptor.isEncryptionAvailable()) {
      throw new UserError('secret-encryption-unavailable', {
        en: "This computer's secure storage is not available, so Shukuden won't save your passwords. On Linux, install and unlock a keyring (e.g. GNOME Keyring); then try again.",
        ja: 'このパソコンの安全な保存領域が使えないため、パスワードを保存しません。Linux ではキーリング（GNOME Keyring など）をインストールしてロックを解除し、もう一度お試しください。',
      });
    }
    const all = { ...(await this.#readAll()) };
    for (const [name, value] of Object.entries(values)) all[name] = this.#encryptor.encryptString(value).toString('base64');
    await writeFileAtomic(this.#path, Buffer.from(JSON.stringify(all)));
  }

  async delete(name: string): Promise<void> {
    const all = await this.#readAll();
    if (!(name in all)) return;
    const rest = Object.fromEntries(Object.entries(all).filter(([key]) => key !== name));
    await writeFileAtomic(this.#path, Buffer.from(JSON.stringify(rest)));
  }

  async #readAll(): Promise<Readonly<Record<string, string>>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch {
      return {};
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  }
}
