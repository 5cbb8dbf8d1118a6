/**
 * Where Twilio reports a guest SMS's status; `?send=` is our own row id, so it works even before
 * the create answer is stored. (Its own module: the SMS sender needs the path, not Express.)
 */
export const SMS_STATUS_PATH = '/twilio/sms-status';
