import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultFlowSettings } from '../../../server/call-flow/flow-settings.ts';
import { secondsBeforeRecording, spokenSeconds } from '../../../server/call-flow/welcome-length.ts';

// Twilio says nothing when <Record> begins: the live view relies on this estimate (issue 18 item 8).
describe('how long a guest hears the line before the beep', () => {
  it('reads Japanese slower per character than English, as the phone voices do', () => {
    assert.ok(spokenSeconds('お電話ありがとうございます') > spokenSeconds('Thanks for call'));
    assert.equal(spokenSeconds('   '), 0);
  });

  it('adds the welcome and the instructions, in either language', () => {
    for (const language of ['ja', 'en'] as const) {
      const settings = defaultFlowSettings(language);
      const { welcome, instructions } = settings.prompts;
      assert.ok(welcome.kind === 'tts' && instructions.kind === 'tts');
      const seconds = secondsBeforeRecording(settings);
      assert.equal(seconds, spokenSeconds(welcome.text) + spokenSeconds(instructions.text));
      // The default greetings take roughly 8–15 s to say on a real call.
      assert.ok(seconds > 6 && seconds < 20, `${language}: ${seconds} s`);
    }
  });

  it("uses a recorded greeting's own length, or a typical one when it can't tell", () => {
    const base = defaultFlowSettings('en');
    const settings = { ...base, prompts: { ...base.prompts, welcome: { kind: 'audio', file: 'a.wav' } as const } };
    const instructions = base.prompts.instructions.kind === 'tts' ? spokenSeconds(base.prompts.instructions.text) : 0;
    assert.equal(secondsBeforeRecording(settings, (file) => (file === 'a.wav' ? 30 : null)), 30 + instructions);
    const unknown = secondsBeforeRecording(settings, () => null) - instructions;
    assert.ok(unknown > 0 && unknown < 30, `${unknown} s`);
  });
});
