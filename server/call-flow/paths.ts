/**
 * The public webhook paths. Twilio is given `{publicUrl}/twilio/voice`;
 * every later step follows the action URLs the flow writes into its TwiML.
 */
export const PATHS = {
  voice: '/twilio/voice',
  recorded: '/twilio/recorded',
  noAudio: '/twilio/no-audio',
  menu: '/twilio/menu',
  menuTimeout: '/twilio/menu-timeout',
  /** The name clip's `<Record>` action and its own status callback (`?take=RE…`: the kept take it belongs to). */
  nameRecorded: '/twilio/name-recorded',
  nameRecordingStatus: '/twilio/name-recording-status',
  recordingStatus: '/twilio/recording-status',
  callStatus: '/twilio/call-status',
  promptMedia: '/media/prompts',
  takeMedia: '/media/takes',
} as const;
