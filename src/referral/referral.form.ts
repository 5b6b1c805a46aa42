/**
 * The referral form: parses what the clinician posted into a typed referral, or into the
 * messages to show beside each field. Nothing is saved until every field is valid.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValues, type FormValuesOptions } from '../platform/http/form-page.ts';
import {
  checkboxes,
  optionalText,
  parseDateInput,
  parseForm,
  radio,
  submissionToken,
  text,
} from '../platform/http/forms.ts';
import {
  normaliseEmail,
  normalisePostcode,
  normaliseUkMobile,
  normaliseUkPhone,
} from '../participants/contact.ts';
import { parseNhsNumber } from '../participants/nhs-number.ts';
import { isSecureNhsEmail } from '../endings/ending.form.ts';
import { ageOn } from '../participants/programme-window.ts';
import type { ReferralInput } from './referral.service.ts';
import { EQUALITY_FIELD_ORDER, parseEqualityAnswers } from '../equality/equality.form.ts';

export const CONTACT_METHODS = ['sms', 'email', 'phone', 'post'] as const;
export const FIELD_ORDER = [
  'givenName',
  'familyName',
  'preferredName',
  'dateOfBirth',
  'nhsNumber',
  'mobile',
  'phone',
  'email',
  'address',
  'postcode',
  'contactMethods',
  'safeContactTimes',
  'mayLeaveMessages',
  'crisisTeamId',
  'dischargedOn',
  'dischargeDestination',
  'gpPracticeName',
  'gpPracticeEmail',
  'careCoordinatorName',
  'careCoordinatorEmail',
  'accessibilityNeeds',
  'safetyInformation',
  ...EQUALITY_FIELD_ORDER,
  'sharedContact',
] as const;
/** Where each error links to: date inputs and option lists link to their first box. */
export const ANCHORS: Record<string, string> = {
  dateOfBirth: 'dateOfBirth-day',
  dischargedOn: 'dischargedOn-day',
  contactMethods: 'contactMethods',
  mayLeaveMessages: 'mayLeaveMessages',
  dischargeDestination: 'dischargeDestination',
  crisisTeamId: 'crisisTeamId',
  sharedContact: 'sharedContact',
};

/** Fields of the "someone already in Greenleaf" step, never carried back into the form. */
const STEP_FIELDS = new Set(['_csrf', 'sharedContact', 'contactCheck', 'action']);

export type SharedContactAnswer = 'same' | 'different' | 'change';

/** What was chosen on the "someone already in Greenleaf" step, and whether that step was shown. */
export function sharedContactStep(body: unknown): {
  asked: boolean;
  answer: SharedContactAnswer | undefined;
} {
  const record = asRecord(body);
  const answer =
    record.action === 'change'
      ? 'change'
      : record.sharedContact === 'same' || record.sharedContact === 'different'
        ? record.sharedContact
        : undefined;
  return { asked: record.contactCheck === 'asked', answer };
}

/** The form's own fields as name/value pairs, for the step to carry in hidden inputs. */
export function hiddenFields(values: ReferralFormValues): { name: string; value: string }[] {
  return Object.entries(values)
    .filter(([name]) => !STEP_FIELDS.has(name))
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value])
        .filter((v): v is string => typeof v === 'string')
        .map((v) => ({ name, value: v })),
    );
}

/** The form's values without the step's own fields: what the form shows again after "change". */
export function withoutStepFields(values: ReferralFormValues): ReferralFormValues {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !STEP_FIELDS.has(name)));
}

const base = z.object({
  submissionToken,
  givenName: text('Enter their first name', 100, 'First name must be 100 characters or fewer'),
  familyName: text('Enter their last name', 100, 'Last name must be 100 characters or fewer'),
  preferredName: optionalText(100, 'Preferred name must be 100 characters or fewer'),
  nhsNumber: optionalText(20, 'NHS number must be 10 digits'),
  mobile: optionalText(30, 'Enter a UK mobile number, like 07700 900 982'),
  phone: optionalText(30, 'Enter a UK phone number, like 01632 960 001'),
  email: optionalText(254, 'Enter an email address in the correct format, like name@example.com'),
  address: optionalText(500, 'Address must be 500 characters or fewer'),
  postcode: optionalText(10, 'Enter a real postcode, like LS1 4AP'),
  contactMethods: checkboxes(CONTACT_METHODS, 'Select how they would like to be contacted'),
  safeContactTimes: optionalText(500, 'Safe times must be 500 characters or fewer'),
  mayLeaveMessages: radio(['yes', 'no'], 'Select yes if we may leave messages'),
  crisisTeamId: z.uuid({ error: 'Select the crisis team that is discharging them' }),
  dischargeDestination: radio(['cmht', 'gp'], 'Select where their care goes after discharge'),
  gpPracticeName: optionalText(200, 'GP practice name must be 200 characters or fewer'),
  gpPracticeEmail: optionalText(254, 'Enter an email address in the correct format, like name@nhs.net'),
  careCoordinatorName: optionalText(200, 'Care coordinator name must be 200 characters or fewer'),
  careCoordinatorEmail: optionalText(254, 'Enter an email address in the correct format, like name@nhs.net'),
  accessibilityNeeds: optionalText(2000, 'Accessibility needs must be 2000 characters or fewer'),
  safetyInformation: optionalText(2000, 'Safety information must be 2000 characters or fewer'),
});

export type ReferralFormValues = FormValues;

/** What is shown again in the boxes (and carried by the shared-contact step) after a post. */
export const VALUES: FormValuesOptions = { lists: ['contactMethods'] };

/**
 * A secure NHS email address for a GP practice or care coordinator (the end-of-programme
 * summary goes to it), lower-cased; or the message to show.
 */
function secureNhsEmail(input: string): { email: string } | { message: string } {
  const email = normaliseEmail(input);
  if (!email) return { message: 'Enter an email address in the correct format, like name@nhs.net' };
  if (!isSecureNhsEmail(email))
    return { message: 'Enter a secure NHS email address, ending in @nhs.net or .nhs.uk' };
  return { email };
}

/** `minimumAge` is the programme's (MINIMUM_AGE): it is for adults, 18 by default. */
export function parseReferralForm(
  body: unknown,
  today: string,
  minimumAge: number,
): { ok: true; value: ReferralInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  const parsed = parseForm(base, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };

  const dateOfBirth = parseDateInput(record, 'dateOfBirth', {
    enter: 'Enter their date of birth',
    label: 'Date of birth',
  });
  if (!dateOfBirth.ok) errors.dateOfBirth = dateOfBirth.message;
  else if (dateOfBirth.value > today) errors.dateOfBirth = 'Date of birth must be in the past';
  else if (ageOn(dateOfBirth.value, today) > 120) errors.dateOfBirth = 'Date of birth must be a real date';
  else if (ageOn(dateOfBirth.value, today) < minimumAge)
    errors.dateOfBirth = `They must be ${minimumAge} or older to be referred`;

  const dischargedOn = parseDateInput(record, 'dischargedOn', {
    enter: 'Enter the discharge date',
    label: 'Discharge date',
  });
  if (!dischargedOn.ok) errors.dischargedOn = dischargedOn.message;
  else if (dischargedOn.value > today) errors.dischargedOn = 'Discharge date must be today or in the past';
  else if (ageOn(dischargedOn.value, today) >= 1)
    errors.dischargedOn = 'Discharge date must be within the last year';

  // The optional equality monitoring part at the end: its own messages, saved with the referral.
  const equality = parseEqualityAnswers(record, 'they');
  Object.assign(errors, equality.errors);

  const v: Partial<z.infer<typeof base>> = parsed.ok ? parsed.value : (parsed.partial ?? {});
  const contactMethods = v.contactMethods ?? [];

  const nhsNumber = v.nhsNumber ? (parseNhsNumber(v.nhsNumber) ?? null) : null;
  if (v.nhsNumber && !nhsNumber) {
    errors.nhsNumber =
      /^[\d\s-]+$/.test(v.nhsNumber) && v.nhsNumber.replace(/\D/g, '').length === 10
        ? 'Enter a valid NHS number: check the digits, the last one is a check digit'
        : 'NHS number must be 10 digits';
  }
  const mobile = v.mobile ? (normaliseUkMobile(v.mobile) ?? null) : null;
  if (v.mobile && !mobile) errors.mobile = 'Enter a UK mobile number, like 07700 900 982';
  const phone = v.phone ? (normaliseUkPhone(v.phone) ?? null) : null;
  if (v.phone && !phone) errors.phone = 'Enter a UK phone number, like 01632 960 001';
  const email = v.email ? (normaliseEmail(v.email) ?? null) : null;
  if (v.email && !email) errors.email = 'Enter an email address in the correct format, like name@example.com';
  const postcode = v.postcode ? (normalisePostcode(v.postcode) ?? null) : null;
  if (v.postcode && !postcode) errors.postcode = 'Enter a real postcode, like LS1 4AP';

  const careEmails: Record<'gpPracticeEmail' | 'careCoordinatorEmail', string | null> = {
    gpPracticeEmail: null,
    careCoordinatorEmail: null,
  };
  for (const field of ['gpPracticeEmail', 'careCoordinatorEmail'] as const) {
    const raw = v[field];
    if (!raw) continue;
    const checked = secureNhsEmail(raw);
    if ('email' in checked) careEmails[field] = checked.email;
    else errors[field] = checked.message;
  }

  if (contactMethods.length === 0) errors.contactMethods ??= 'Select how they would like to be contacted';
  if (contactMethods.includes('sms') && !v.mobile)
    errors.mobile ??= 'Enter a mobile number, as they chose text messages';
  if (contactMethods.includes('email') && !v.email)
    errors.email ??= 'Enter an email address, as they chose email';
  if (contactMethods.includes('phone') && !v.phone && !v.mobile) {
    errors.phone ??= 'Enter a phone number, as they chose phone calls';
  }
  if (contactMethods.includes('post') && !v.address)
    errors.address ??= 'Enter an address, as they chose letters';
  if (contactMethods.includes('post') && !v.postcode)
    errors.postcode ??= 'Enter a postcode, as they chose letters';

  if (!parsed.ok || Object.keys(errors).length > 0 || !dateOfBirth.ok || !dischargedOn.ok)
    return { ok: false, errors };
  const value = parsed.value;
  return {
    ok: true,
    value: {
      submissionToken: value.submissionToken,
      givenName: value.givenName,
      familyName: value.familyName,
      preferredName: value.preferredName,
      dateOfBirth: dateOfBirth.value,
      nhsNumber,
      email,
      mobile,
      phone,
      address: value.address,
      postcode,
      contactMethods: [...new Set(value.contactMethods)],
      safeContactTimes: value.safeContactTimes,
      mayLeaveMessages: value.mayLeaveMessages === 'yes',
      crisisTeamId: value.crisisTeamId,
      dischargedOn: dischargedOn.value,
      dischargeDestination: value.dischargeDestination,
      gpPracticeName: value.gpPracticeName,
      gpPracticeEmail: careEmails.gpPracticeEmail,
      careCoordinatorName: value.careCoordinatorName,
      careCoordinatorEmail: careEmails.careCoordinatorEmail,
      accessibilityNeeds: value.accessibilityNeeds,
      safetyInformation: value.safetyInformation,
      equality: equality.value,
      ...(sharedContactStep(record).answer === 'different' ? { sharedContact: 'different' as const } : {}),
    },
  };
}
