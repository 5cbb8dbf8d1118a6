/** A sentence for the organiser in both languages the app speaks. */
export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

/**
 * A problem the organiser can see, as every screen shows it: a stable `code` (the UI and tests
 * recognise it) and what happened and what to do, in Japanese and English.
 */
export interface Problem extends Bilingual {
  readonly code: string;
}

/** An error the organiser can act on; `problem` is how it reaches the UI. */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  readonly text: Bilingual;

  constructor(code: string, text: Bilingual, options?: ErrorOptions) {
    super(`${text.en} / ${text.ja}`, options);
    this.code = code;
    this.text = text;
  }

  /** This error as the organiser sees it. */
  get problem(): Problem {
    return { code: this.code, ja: this.text.ja, en: this.text.en };
  }
}

/** Anything thrown, as a problem to show: a UserError as it is, anything else as `fallback`. */
export function problemOf(error: unknown, fallback: Problem): Problem {
  return error instanceof UserError ? error.problem : fallback;
}
