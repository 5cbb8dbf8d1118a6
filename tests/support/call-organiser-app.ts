import { scriptedCaller, type ScriptStep } from '../../server/voice-sim/caller.ts';
import { placeCall, type SimulatedCall } from '../../server/voice-sim/simulator.ts';
import { ACCOUNT_SID, LINE_NUMBER } from './line-harness.ts';
import type { OrganiserApp } from './organiser-app.ts';
import { press, speak } from './script.ts';

/** A guest's call to the organiser app's own webhooks through the voice simulator, as Twilio would place it. */
export function callOrganiserApp(app: OrganiserApp, from: string, steps: readonly ScriptStep[] = [speak(2), press('1')]): Promise<SimulatedCall> {
  return placeCall({
    voiceUrl: `${app.twiml.url}/twilio/voice`,
    statusCallback: `${app.twiml.url}/twilio/call-status`,
    accountSid: ACCOUNT_SID,
    authToken: app.core.authToken,
    from,
    to: LINE_NUMBER,
    caller: scriptedCaller(steps),
    recordings: app.emulator,
  });
}
