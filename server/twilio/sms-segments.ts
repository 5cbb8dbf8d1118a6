const GSM7 = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z_a-z£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

/**
 * How many SMS segments a body takes: GSM-7 holds 160 characters (153 per part when split),
 * anything else (Japanese) is UCS-2 with 70 (67 per part). Source: Twilio's "What the Heck
 * is a Segment?" (twilio.com/docs/glossary/what-sms-character-limit).
 */
export function segmentCount(body: string): number {
  const gsm = GSM7.test(body);
  const length = gsm ? body.length : [...body].reduce((n, c) => n + ((c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1), 0);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  return length <= single ? 1 : Math.ceil(length / part);
}

