import { describe, expect, it } from 'vitest';
import {
  formatUkMobile,
  formatUkPhone,
  normaliseEmail,
  normalisePostcode,
  normaliseUkMobile,
  normaliseUkPhone,
} from './contact.ts';

describe('contact details', () => {
  it('stores a UK mobile in one form however it was typed', () => {
    for (const typed of ['07700 900982', '+44 7700 900982', '0044 7700 900 982', '(07700) 900-982']) {
      expect(normaliseUkMobile(typed)).toBe('+447700900982');
    }
    expect(formatUkMobile('+447700900982')).toBe('07700 900982');
  });

  it('refuses landlines and short numbers as mobiles', () => {
    expect(normaliseUkMobile('0113 496 0000')).toBeUndefined();
    expect(normaliseUkMobile('07700 9009')).toBeUndefined();
  });

  it('accepts landlines as phone numbers and shows them as people read them', () => {
    expect(normaliseUkPhone('0113 496 0000')).toBe('01134960000');
    expect(formatUkPhone('01134960000')).toBe('0113 496 0000');
    expect(formatUkPhone('02079460000')).toBe('020 7946 0000');
    expect(formatUkPhone('01632960001')).toBe('01632 960001');
  });

  it('lower-cases emails and refuses malformed ones', () => {
    expect(normaliseEmail(' Sam.Taylor@Example.COM ')).toBe('sam.taylor@example.com');
    expect(normaliseEmail('sam@')).toBeUndefined();
    expect(normaliseEmail('<script>@x.com')).toBeUndefined();
  });

  it('formats postcodes with one space', () => {
    expect(normalisePostcode('ls14ap')).toBe('LS1 4AP');
    expect(normalisePostcode('SW1A 1AA')).toBe('SW1A 1AA');
    expect(normalisePostcode('12345')).toBeUndefined();
  });
});
