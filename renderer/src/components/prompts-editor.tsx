import { useState } from 'react';
import type { Language, OrganiserApi } from '../../../server/api/contract.ts';
import type { LineSettings } from '../../../server/api/contract.ts';
import { PROMPT_KEYS, TTS_DEFAULTS, type Prompt, type PromptKey } from '../../../server/api/contract.ts';
import { t } from '../i18n.ts';
import { useCall } from '../use-call.ts';
import { ErrorBox } from './error-box.tsx';

const LABELS: Readonly<Record<PromptKey, { readonly ja: string; readonly en: string }>> = {
  welcome: { ja: '1. あいさつ', en: '1. Welcome' },
  instructions: { ja: '2. 録音の案内', en: '2. Instructions' },
  playbackIntro: { ja: '4. 再生の前に', en: '4. Before playback' },
  menu: { ja: '5. 確認メニュー', en: '5. Keep or re-record' },
  invalidKey: { ja: '違うキーが押されたとき', en: 'Wrong key' },
  couldNotHear: { ja: '聞き取れなかったとき', en: "Couldn't hear" },
  thanks: { ja: '7. お礼', en: '7. Thank you' },
  goodbyeNoAudio: { ja: '録音できなかったとき', en: 'Could not record' },
  decoy: { ja: 'サプライズ用（新郎新婦から）', en: 'Decoy (for the couple)' },
};

/** Natural phone voices per language (Twilio <Say>). */
const VOICES: Readonly<Record<string, readonly string[]>> = {
  'ja-JP': ['Polly.Mizuki', 'Polly.Takumi', 'Polly.Kazuha-Neural', 'Google.ja-JP-Neural2-B', 'Google.ja-JP-Neural2-C'],
  'en-US': ['Polly.Joanna', 'Polly.Matthew', 'Polly.Joanna-Neural', 'Google.en-US-Neural2-F', 'Google.en-US-Neural2-D'],
};

/** Every prompt: editable text and voice, or an uploaded recording (MP3/WAV/M4A). Saved at once. */
export function PromptsEditor(props: { readonly api: OrganiserApi; readonly language: Language; readonly settings: LineSettings; readonly onSaved?: () => void }) {
  const { language, settings } = props;
  const [prompts, setPrompts] = useState(settings.prompts);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useCall(props.api);
  const setPrompt = (key: PromptKey, prompt: Prompt) => {
    setSaved(false);
    setPrompts({ ...prompts, [key]: prompt });
  };
  const tts = TTS_DEFAULTS[settings.language];
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        if (await run('saveLineSettings', { settings: { ...settings, prompts } })) {
          setSaved(true);
          props.onSaved?.();
        }
      }}
    >
      <p>{t(language, 'promptsIntro')}</p>
      {PROMPT_KEYS.map((key) => {
        const prompt = prompts[key];
        return (
          <fieldset key={key} className="prompt" data-prompt={key}>
            <legend>{LABELS[key][language]}</legend>
            {prompt.kind === 'tts' ? (
              <>
                <textarea name={`prompt-${key}`} rows={2} value={prompt.text} onChange={(e) => setPrompt(key, { ...prompt, text: e.target.value })} />
                <label className="inline">
                  {t(language, 'voice')}{' '}
                  <select value={prompt.voice} onChange={(e) => setPrompt(key, { ...prompt, voice: e.target.value })}>
                    {(VOICES[prompt.language] ?? [prompt.voice]).map((voice) => (
                      <option key={voice}>{voice}</option>
                    ))}
                  </select>
                </label>
              </>
            ) : (
              <p className="muted">
                🎵 {t(language, 'usingAudio')}{' '}
                <button type="button" className="link" onClick={() => setPrompt(key, { kind: 'tts', text: '', ...tts })}>
                  {t(language, 'useSpeech')}
                </button>
              </p>
            )}
            <label className="inline small">
              {t(language, 'uploadAudio')}{' '}
              <input
                type="file"
                accept="audio/mpeg,audio/wav,audio/x-wav,audio/mp4,audio/x-m4a,audio/aac,.mp3,.wav,.m4a,.aac"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  const bytes = new Uint8Array(await file.arrayBuffer());
                  let binary = '';
                  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
                  const result = await run('uploadPrompt', { key, fileName: file.name, dataBase64: btoa(binary) });
                  if (result) setPrompt(key, { kind: 'audio', file: result.file });
                }}
              />
            </label>
          </fieldset>
        );
      })}
      <ErrorBox error={error} language={language} />
      <button type="submit" className="primary" disabled={busy}>
        {t(language, 'save')}
      </button>
      {saved ? <span className="ok-text"> ✓ {t(language, 'saved')}</span> : null}
    </form>
  );
}
