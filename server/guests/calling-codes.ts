/**
 * Which country a phone number is in, from its calling code (ITU-T E.164 country codes), for
 * looking up what texting it costs. Only codes that name one country are listed — plus +1 (the US
 * or Canada: both are asked, the dearer counts) and +7 (Russia or Kazakhstan). A number whose code
 * is not here gets no price ("unknown"), which never stops it being texted.
 */
const CODES: Readonly<Record<string, readonly string[]>> = {
  '1': ['US', 'CA'],
  '7': ['RU', 'KZ'],
  '20': ['EG'],
  '27': ['ZA'],
  '30': ['GR'],
  '31': ['NL'],
  '32': ['BE'],
  '33': ['FR'],
  '34': ['ES'],
  '36': ['HU'],
  '39': ['IT'],
  '40': ['RO'],
  '41': ['CH'],
  '43': ['AT'],
  '44': ['GB'],
  '45': ['DK'],
  '46': ['SE'],
  '47': ['NO'],
  '48': ['PL'],
  '49': ['DE'],
  '51': ['PE'],
  '52': ['MX'],
  '54': ['AR'],
  '55': ['BR'],
  '56': ['CL'],
  '57': ['CO'],
  '60': ['MY'],
  '61': ['AU'],
  '62': ['ID'],
  '63': ['PH'],
  '64': ['NZ'],
  '65': ['SG'],
  '66': ['TH'],
  '81': ['JP'],
  '82': ['KR'],
  '84': ['VN'],
  '86': ['CN'],
  '90': ['TR'],
  '91': ['IN'],
  '351': ['PT'],
  '352': ['LU'],
  '353': ['IE'],
  '354': ['IS'],
  '358': ['FI'],
  '380': ['UA'],
  '420': ['CZ'],
  '421': ['SK'],
  '852': ['HK'],
  '853': ['MO'],
  '855': ['KH'],
  '880': ['BD'],
  '886': ['TW'],
  '971': ['AE'],
  '972': ['IL'],
  '976': ['MN'],
};

/** The ISO 3166-1 countries an E.164 number (+81…) may be in; empty when its code isn't known here. */
export function countriesOfNumber(e164: string): readonly string[] {
  const digits = e164.startsWith('+') ? e164.slice(1) : '';
  // Calling codes are prefix-free, so at most one of the 1-, 2- and 3-digit prefixes is a code.
  for (const length of [1, 2, 3]) {
    const found = CODES[digits.slice(0, length)];
    if (found && digits.length > length) return found;
  }
  return [];
}
