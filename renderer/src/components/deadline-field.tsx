import { useId } from 'react';
import { useLanguage } from '../app-context.tsx';
import { deadlineInWords } from './guest-invitation.ts';

/**
 * The invitation's deadline: the browser's date field, whose format follows the computer's
 * language rather than the app's (12/24/2026 in a Japanese screen), and beside it the date in
 * the app's words — how the invitation says it — so what was picked is never in doubt.
 */
export function DeadlineField(props: {
  readonly caption: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly name?: string;
  readonly inline?: boolean;
}) {
  const language = useLanguage();
  const wordsId = useId();
  const words = deadlineInWords(language, props.value);
  const readout = words ? (
    <span id={wordsId} className="small muted deadline-words" data-testid="deadline-in-words">
      {words}
    </span>
  ) : null;
  // Beside the caption when the field sits under it (so a row of fields keeps one height), after the field when inline.
  return (
    <label className={props.inline ? 'inline' : undefined}>
      {props.caption}
      {props.inline ? null : readout}
      <input
        type="date"
        name={props.name}
        aria-label={props.caption}
        aria-describedby={words ? wordsId : undefined}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.inline ? readout : null}
    </label>
  );
}
