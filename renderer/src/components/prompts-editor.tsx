import { useState } from 'react';
import type { FlowSettings } from '../../../server/api/contract.ts';
import { PROMPT_KEYS, TTS_DEFAULTS, type Prompt, type PromptKey } from '../../../server/api/contract.ts';
import { useLanguage, useT } from '../app-context.tsx';
import { toBase64 } from '../base64.ts';
import { useCall } from '../use-call.ts';
import { ErrorBox } from './error-box.tsx';

const LABELS: Readonly<Record<PromptKey, { readonly ja: string; readonly en: string }>> = {
  welcome: { ja: 'あいさつ', en: 'Welcome' },
  instructions: { ja: '録音の案内', en: 'Instructions' },
  playbackIntro: { ja: '再生の前に', en: 'Before playback' },
  menu: { ja: '確認メニュー', en: 'Keep or re-record' },
  invalidKey: { ja: '違うキーが押されたとき', en: 'Wrong key' },
  couldNotHear: { ja: '聞き取れなかったとき', en: "Couldn't hear" },
  askName: { ja: 'お名前をうかがう（保存のあと）', en: 'Ask for their name (after keeping)' },
  thanks: { ja: 'お礼', en: 'Thank you' },
  goodbyeNoAudio: { ja: '録音できなかったとき', en: 'Could not record' },
  decoy: { ja: 'サプライズ用（新郎新婦から）', en: 'Decoy (for the couple)' },
};

/** Natural phone voices per language (Twilio <Say>), shown by a human name. */
const VOICES: Readonly<Record<string, readonly { readonly id: string; readonly ja: string; readonly en: string }[]>> = {
  'ja-JP': [
    { id: 'Polly.Mizuki', ja: 'Mizuki（女性）', en: 'Mizuki (female)' },
    { id: 'Polly.Takumi', ja: 'Takumi（男性）', en: 'Takumi (male)' },
    { id: 'Polly.Kazuha-Neural', ja: 'Kazuha（女性・自然な声）', en: 'Kazuha (female, natural)' },
    { id: 'Google.ja-JP-Neural2-B', ja: 'Google B（女性・自然な声）', en: 'Google B (female, natural)' },
    { id: 'Google.ja-JP-Neural2-C', ja: 'Google C（男性・自然な声）', en: 'Google C (male, natural)' },
  ],
  'en-US': [
    { id: 'Polly.Joanna', ja: 'Joanna（女性）', en: 'Joanna (female)' },
    { id: 'Polly.Matthew', ja: 'Matthew（男性）', en: 'Matthew (male)' },
    { id: 'Polly.Joanna-Neural', ja: 'Joanna（女性・自然な声）', en: 'Joanna (female, natural)' },
    { id: 'Google.en-US-Neural2-F', ja: 'Google F（女性・自然な声）', en: 'Google F (female, natural)' },
    { id: 'Google.en-US-Neural2-D', ja: 'Google D（男性・自然な声）', en: 'Google D (male, natural)' },
  ],
};

/** ▶: reads the text aloud with this computer's voice for the language (close to, not exactly, the phone's). */
function preview(text: string, lang: string): void {
  if (!('speechSynthesis' in window)) return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  speechSynthesis.speak(utterance);
}

/** Every prompt: editable text and voice, or an uploaded recording (MP3/WAV/M4A). Saved at once. */
export function PromptsEditor(props: { readonly settings: FlowSettings; readonly onSaved?: () => void }) {
  const { settings } = props;
  const language = useLanguage();
  const t = useT();
  const [prompts, setPrompts] = useState(settings.prompts);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useCall();
  const setPrompt = (key: PromptKey, prompt: Prompt) => {
    setSaved(false);
    setPrompts({ ...prompts, [key]: prompt });
  };
  const tts = TTS_DEFAULTS[settings.language];
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        if (await run('saveFlowSettings', { settings: { ...settings, prompts } })) {
          setSaved(true);
          props.onSaved?.();
        }
      }}
    >
      <p>{t('promptsIntro')}</p>
      <label className="inline">
        {t('greetingsLanguage')}{' '}
        <select name="greetingsLanguage" value={settings.language} disabled={busy} onChange={(e) => void run('setGreetingsLanguage', { language: e.target.value as 'ja' | 'en' })}>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select>
      </label>
      <p className="muted small">{t('greetingsLanguageHelp')}</p>
      {PROMPT_KEYS.map((key, index) => {
        const prompt = prompts[key];
        return (
          <fieldset key={key} className="prompt" data-prompt={key}>
            <legend>
              {index + 1}. {LABELS[key][language]}
            </legend>
            {prompt.kind === 'tts' ? (
              <>
                <textarea name={`prompt-${key}`} rows={2} value={prompt.text} onChange={(e) => setPrompt(key, { ...prompt, text: e.target.value })} />
                <label className="inline">
                  {t('voice')}{' '}
                  <select name={`voice-${key}`} value={prompt.voice} onChange={(e) => setPrompt(key, { ...prompt, voice: e.target.value })}>
                    {(VOICES[prompt.language] ?? []).some((v) => v.id === prompt.voice) ? null : <option value={prompt.voice}>{prompt.voice}</option>}
                    {(VOICES[prompt.language] ?? []).map((voice) => (
                      <option key={voice.id} value={voice.id}>
                        {voice[language]}
                      </option>
                    ))}
                  </select>
                </label>{' '}
                <button type="button" className="icon" aria-label={`${t('previewVoice')} ${LABELS[key][language]}`} onClick={() => preview(prompt.text, prompt.language)}>
                  ▶
                </button>
              </>
            ) : (
              <p className="muted">
                🎵 {t('usingAudio')}{' '}
                <button type="button" className="link" onClick={() => setPrompt(key, { kind: 'tts', text: '', ...tts })}>
                  {t('useSpeech')}
                </button>
              </p>
            )}
            <label className="inline small">
              {t('uploadAudio')}{' '}
              <input
                type="file"
                className="file-input"
                accept="audio/mpeg,audio/wav,audio/x-wav,audio/mp4,audio/x-m4a,audio/aac,.mp3,.wav,.m4a,.aac"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  const result = await run('uploadPrompt', { key, fileName: file.name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
                  if (result) setPrompt(key, { kind: 'audio', file: result.file });
                }}
              />
              {/* The browser's own "Choose File" speaks the system's language, not the app's. */}
              <span className="file-button" aria-hidden="true">
                {t('chooseFile')}
              </span>
            </label>
          </fieldset>
        );
      })}
      <ErrorBox error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('save')}
      </button>
      {saved ? <span className="ok-text"> ✓ {t('saved')}</span> : null}
    </form>
  );
}
