/** A sentence for the organiser in both languages the app speaks. */
export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

/**
 * An error the organiser can act on: what happened and what to do, in Japanese and English.
 * `code` is stable so the UI and tests can recognise it.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  readonly text: Bilingual;

  constructor(code: string, text: Bilingual, options?: ErrorOptions) {
    super(`${text.en} / ${text.ja}`, options);
    this.code = code;
    this.text = text;
  }
}
