/**
 * NHS numbers: ten digits, the last a modulus-11 check digit.
 * https://www.datadictionary.nhs.uk/attributes/nhs_number.html
 */
export type NhsNumber = string & { readonly __brand: 'NhsNumber' };

/** Accepts spaces and hyphens as people write them ("943 476 5919"); returns the digits or undefined. */
export function parseNhsNumber(input: string): NhsNumber | undefined {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits.charAt(i)) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  const expected = check === 11 ? 0 : check;
  return expected === Number(digits[9]) ? (digits as NhsNumber) : undefined;
}

export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
