/**
 * The values of a randomised person's trial record a data query may be raised on: each read from
 * the record as it stands, so the query keeps the value it was about. None of them is, or gives
 * away, the arm (nor the stratum's position), so outcome assessors and analysts may raise them.
 */
import { ukToday } from '../platform/calendar/uk-time.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';

export interface QueryableRecord {
  studyId: string;
  screenedOn: string;
  yearOfBirth: number;
  consentTakenOn: string;
  consentDocumentVersion: string;
  randomisedAt: Date;
}

export interface QueryField {
  key: string;
  /** Which record the value is on, as the research team calls it. */
  record: string;
  label: string;
  value: (r: QueryableRecord) => string;
}

export const QUERY_FIELDS: readonly QueryField[] = [
  {
    key: 'screening.screened_on',
    record: 'Screening',
    label: 'Date screened',
    value: (r) => formatDate(r.screenedOn),
  },
  {
    key: 'screening.year_of_birth',
    record: 'Screening',
    label: 'Year of birth',
    value: (r) => String(r.yearOfBirth),
  },
  {
    key: 'consent.taken_on',
    record: 'Consent',
    label: 'Date consent was taken',
    value: (r) => formatDate(r.consentTakenOn),
  },
  {
    key: 'consent.document_version',
    record: 'Consent',
    label: 'Consent document version',
    value: (r) => r.consentDocumentVersion,
  },
  {
    key: 'randomisation.randomised_on',
    record: 'Randomisation',
    label: 'Date randomised',
    value: (r) => formatDate(ukToday(r.randomisedAt)),
  },
];

export function queryField(key: string): QueryField | undefined {
  return QUERY_FIELDS.find((f) => f.key === key);
}

/** "Consent: Date consent was taken", or the key itself for a field no longer declared. */
export function queryFieldText(key: string): string {
  const field = queryField(key);
  return field ? `${field.record}: ${field.label}` : key;
}
