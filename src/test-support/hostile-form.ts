/**
 * What a hostile or broken client posts to a form, for the fast-check properties that say a
 * form never answers with a server error: any of the form's fields, each left out, sent once
 * with any short text or an awkward value, or sent several times over.
 */
import fc from 'fast-check';

/** Values every form meets: blank, numbers out of range, markup, SQL and a NUL byte. */
const AWKWARD = ['', ' ', '0', '-1', '1e9', '99999999999', '<script>', "' OR 1=1", '\u0000'];

/** One posted field's value: `alsoAwkward` adds values this form's own fields invite. */
export function hostileValue(...alsoAwkward: string[]): fc.Arbitrary<string | string[]> {
  return fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.constantFrom(...AWKWARD, ...alsoAwkward),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  );
}

/** A whole posted form: some of these fields, each with a hostile value. */
export function hostileForm(
  fields: readonly string[],
  ...alsoAwkward: string[]
): fc.Arbitrary<Record<string, string | string[]>> {
  return fc.dictionary(fc.constantFrom(...fields), hostileValue(...alsoAwkward));
}
