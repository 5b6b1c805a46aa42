/**
 * The analyst's pseudonymised exports (PRODUCT.md section 7; H36): one entry per table, with its
 * columns, what each means and may hold (the data dictionary is made from these), and the query
 * that reads its rows. A table another part of the trial adds is exported by adding its entry
 * here. Never exported: the control group's workbook postings (only the control group has one)
 * and accidental unblindings (each names a person whose arm someone learned).
 *
 * What an entry may hold: study ids as the only key to a person (for someone screened but never
 * randomised, a screening reference made for the export); never a participant id, NHS number,
 * name, initials, date of birth, contact details, staff member, or free text (which may name
 * someone or hint at the care given). Never the arm, nor anything that gives it away: not the
 * stratum position, not the allocation sequence (trial_allocation_slots is never read), not an
 * event's relatedness or expectedness (judged knowing the care given), not a withdrawal from
 * the programme only (only the intervention arm has one to withdraw from), and not the person a
 * deviation whose very kind names the arm was about. Someone who withdrew from any use of their
 * data is in no table but the withdrawals, which says so.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import type { ProtocolDeviations } from './protocol-deviations.ts';

/** Raised whenever a column is added, removed or changes meaning. */
export const DICTIONARY_VERSION = 2;

export type ExportValue = string | number | boolean | null;
export type ExportRow = Record<string, ExportValue>;

export interface ExportColumn {
  name: string;
  type: 'text' | 'integer' | 'boolean' | 'date' | 'timestamp';
  meaning: string;
  /** The values it may hold, where they are a closed list or a pattern. */
  allowed?: string;
}

export interface ExportTable {
  key: string;
  title: string;
  meaning: string;
  columns: ExportColumn[];
  rows: (db: Db, trialId: string, context: ExportContext) => Promise<ExportRow[]>;
}

export interface ExportContext {
  deviations: ProtocolDeviations;
}

const STUDY_ID: ExportColumn = {
  name: 'study_id',
  type: 'text',
  meaning: 'The person’s study ID, given at randomisation; empty for someone never randomised',
  allowed: 'The trial’s short code, a hyphen and four digits, such as PEERS-0001',
};
const SCREENING_REF: ExportColumn = {
  name: 'screening_ref',
  type: 'text',
  meaning:
    'A reference to the screening, made for the exports: S and five digits, numbered in the order people were screened. Links a screening to its consent and withdrawals',
  allowed: 'S00001 and on',
};

const isoDate = (column: SQL) => sql`to_char(${column}, 'YYYY-MM-DD')`;
const isoTime = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * Someone who withdrew from any use of their data: nothing of theirs is exported but that
 * withdrawal itself (withdrawal-scopes.ts promises it), by the consent's id.
 */
const dataWithdrawn = (consentId: SQL) =>
  sql`EXISTS (SELECT 1 FROM trial_withdrawals dw WHERE dw.consent_id = ${consentId} AND dw.scope = 'data')`;
const keptFor = (randomisation: SQL) => sql`NOT ${dataWithdrawn(sql`${randomisation}.consent_id`)}`;

/** Each screening of the trial with its export reference, stratum code and study id (if randomised). */
const people = (trialId: string) => sql`
  WITH people AS (
    SELECT s.id AS screening_id, c.id AS consent_id, r.id AS randomisation_id, r.study_id,
           ${dataWithdrawn(sql`c.id`)} AS data_withdrawn,
           'S' || lpad((row_number() OVER (ORDER BY s.screened_at, s.id))::text, 5, '0') AS screening_ref,
           'T' || (dense_rank() OVER (ORDER BY s.crisis_team_id))::text AS stratum
      FROM trial_screenings s
      LEFT JOIN trial_consents c ON c.screening_id = s.id
      LEFT JOIN trial_randomisations r ON r.consent_id = c.id
     WHERE s.trial_id = ${trialId}
  )`;

const STRATUM: ExportColumn = {
  name: 'stratum',
  type: 'text',
  meaning: 'The crisis resolution team the person was under: the stratum of the randomisation, as a code',
  allowed: 'T and a number',
};

export const EXPORT_TABLES: readonly ExportTable[] = [
  {
    key: 'screenings',
    title: 'Screenings',
    meaning:
      'Everyone assessed for eligibility, eligible or not, and what happened when they were approached',
    columns: [
      SCREENING_REF,
      STUDY_ID,
      STRATUM,
      { name: 'screened_on', type: 'date', meaning: 'The day they were screened' },
      { name: 'year_of_birth', type: 'integer', meaning: 'Their year of birth' },
      { name: 'checklist_version', type: 'integer', meaning: 'The eligibility checklist’s version used' },
      {
        name: 'eligible',
        type: 'boolean',
        meaning: 'Whether they met every criterion',
        allowed: 'true, false',
      },
      {
        name: 'ineligible_reasons',
        type: 'text',
        meaning: 'The keys of the criteria not met, separated by semicolons; empty when eligible',
      },
      {
        name: 'approach',
        type: 'text',
        meaning:
          'What happened when an eligible person was approached; empty while undecided or not eligible',
        allowed: 'consented, declined, not_approached',
      },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`${people(trialId)}
          SELECT p.screening_ref, p.study_id, p.stratum, ${isoDate(sql`s.screened_on`)} AS screened_on,
                 s.year_of_birth, s.checklist_version, s.eligible,
                 array_to_string(s.ineligible_reasons, ';') AS ineligible_reasons, s.approach
            FROM people p JOIN trial_screenings s ON s.id = p.screening_id
           WHERE NOT p.data_withdrawn
           ORDER BY p.screening_ref`,
      ),
  },
  {
    key: 'consents',
    title: 'Consents',
    meaning: 'Consent to take part, one per person who consented',
    columns: [
      SCREENING_REF,
      STUDY_ID,
      { name: 'document_version', type: 'text', meaning: 'The consent document version they signed' },
      { name: 'taken_on', type: 'date', meaning: 'The day consent was taken' },
      {
        name: 'capacity_confirmed',
        type: 'boolean',
        meaning: 'Their capacity to consent was confirmed',
        allowed: 'true',
      },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`${people(trialId)}
          SELECT p.screening_ref, p.study_id, c.document_version, ${isoDate(sql`c.taken_on`)} AS taken_on,
                 c.capacity_confirmed
            FROM people p JOIN trial_consents c ON c.id = p.consent_id
           WHERE NOT p.data_withdrawn
           ORDER BY p.screening_ref`,
      ),
  },
  {
    key: 'withdrawals',
    title: 'Withdrawals',
    meaning:
      'Withdrawals from follow-up or from the use of their data, each kept: a later, wider one is a row of its own. Withdrawals from the programme only are left out: only someone in the intervention arm can withdraw from it, and it changes no follow-up or data',
    columns: [
      SCREENING_REF,
      STUDY_ID,
      {
        name: 'scope',
        type: 'text',
        meaning: 'What they withdrew from',
        allowed: 'follow_up (from follow-up and the programme), data (and from the use of their data)',
      },
      { name: 'withdrawn_on', type: 'date', meaning: 'The day they withdrew' },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`${people(trialId)}
          SELECT p.screening_ref, p.study_id, w.scope, ${isoDate(sql`w.withdrawn_on`)} AS withdrawn_on
            FROM people p JOIN trial_withdrawals w ON w.consent_id = p.consent_id
           WHERE w.scope <> 'intervention'
           ORDER BY p.screening_ref, w.withdrawn_on, w.scope`,
      ),
  },
  {
    key: 'randomisations',
    title: 'Randomisations',
    meaning: 'Everyone randomised, without their arm (and without anyone who withdrew from any use of their data)',
    columns: [
      STUDY_ID,
      STRATUM,
      { name: 'randomised_on', type: 'date', meaning: 'The day they were randomised (UK time)' },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`${people(trialId)}
          SELECT p.study_id, p.stratum,
                 ${isoDate(sql`(r.randomised_at AT TIME ZONE 'Europe/London')::date`)} AS randomised_on
            FROM people p JOIN trial_randomisations r ON r.id = p.randomisation_id
           WHERE NOT p.data_withdrawn
           ORDER BY p.study_id`,
      ),
  },
  {
    key: 'serious_adverse_events',
    title: 'Serious adverse events',
    meaning: 'Serious adverse events and their reports to the sponsor, without relatedness or expectedness',
    columns: [
      STUDY_ID,
      { name: 'kind', type: 'text', meaning: 'The kind of event (src/trial/serious-adverse-events.json)' },
      { name: 'onset_on', type: 'date', meaning: 'The day it happened' },
      { name: 'aware_at', type: 'timestamp', meaning: 'When the research team became aware of it (UTC)' },
      { name: 'report_by', type: 'timestamp', meaning: 'When its report to the sponsor was due (UTC)' },
      {
        name: 'reported_at',
        type: 'timestamp',
        meaning: 'When its report to the sponsor was recorded (UTC); empty if not yet',
      },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`SELECT r.study_id, e.kind, ${isoDate(sql`e.onset_on`)} AS onset_on, ${isoTime(sql`e.aware_at`)} AS aware_at,
                   ${isoTime(sql`e.report_by`)} AS report_by, ${isoTime(sql`e.reported_at`)} AS reported_at
              FROM trial_saes e JOIN trial_randomisations r ON r.id = e.randomisation_id
             WHERE e.trial_id = ${trialId} AND ${keptFor(sql`r`)}
             ORDER BY r.study_id, e.aware_at, e.id`,
      ),
  },
  {
    key: 'follow_ups',
    title: 'Follow-ups',
    meaning:
      'Each follow-up time point recorded: done or not, how, and each questionnaire’s score. Without the assessor’s guess of the arm (it measures blinding, for the unblinded statistician)',
    columns: [
      STUDY_ID,
      { name: 'time_point', type: 'text', meaning: 'The time point (src/trial/follow-up-schedule.json)' },
      { name: 'outcome', type: 'text', meaning: 'Whether it was done', allowed: 'done, not_done' },
      {
        name: 'not_done_reason',
        type: 'text',
        meaning: 'Why not, when not done',
        allowed: 'could_not_contact, declined, too_unwell, moved_away, died, other',
      },
      {
        name: 'completed_by',
        type: 'text',
        meaning: 'Who entered the answers: the outcome assessor, or the participant online by invitation',
        allowed: 'assessor, participant',
      },
      { name: 'recorded_on', type: 'date', meaning: 'The day it was recorded (UK time)' },
      {
        name: 'questionnaire',
        type: 'text',
        meaning: 'The questionnaire’s canonical URL and version (src/trial/instruments/); empty when not done',
      },
      { name: 'score', type: 'integer', meaning: 'Its score, as the questionnaire declares it; empty if too few answered' },
      { name: 'items_missing', type: 'integer', meaning: 'How many of its scored questions were not answered' },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`SELECT r.study_id, f.time_point, f.outcome, f.not_done_reason, f.completed_by,
                   ${isoDate(sql`(f.recorded_at AT TIME ZONE 'Europe/London')::date`)} AS recorded_on,
                   q.questionnaire, q.score, q.items_missing
              FROM trial_follow_ups f
              JOIN trial_randomisations r ON r.id = f.randomisation_id
              LEFT JOIN trial_questionnaire_responses q ON q.follow_up_id = f.id
             WHERE f.trial_id = ${trialId} AND ${keptFor(sql`r`)}
             ORDER BY r.study_id, f.time_point, q.questionnaire`,
      ),
  },
  {
    key: 'acute_care_episodes',
    title: 'Acute-care episodes',
    meaning: 'Each acute-care episode recorded, for the primary outcome, without notes',
    columns: [
      STUDY_ID,
      { name: 'kind', type: 'text', meaning: 'The kind of episode (src/trial/acute-care-episodes.json)' },
      { name: 'started_on', type: 'date', meaning: 'The day it started' },
      { name: 'ended_on', type: 'date', meaning: 'The day it ended; empty if not known or not ended' },
      { name: 'source', type: 'text', meaning: 'Where the information came from (src/trial/acute-care-episodes.json)' },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`SELECT r.study_id, e.kind, ${isoDate(sql`e.started_on`)} AS started_on, ${isoDate(sql`e.ended_on`)} AS ended_on,
                   e.source
              FROM trial_acute_episodes e JOIN trial_randomisations r ON r.id = e.randomisation_id
             WHERE e.trial_id = ${trialId} AND ${keptFor(sql`r`)}
             ORDER BY r.study_id, e.started_on, e.id`,
      ),
  },
  {
    key: 'data_queries',
    title: 'Data queries',
    meaning: 'Data queries raised on values of randomised people’s records, without their words',
    columns: [
      STUDY_ID,
      { name: 'field', type: 'text', meaning: 'The value queried (src/trial/query-fields.ts)' },
      { name: 'value_as_raised', type: 'text', meaning: 'The value when the query was raised' },
      { name: 'status', type: 'text', meaning: 'Where the query stands', allowed: 'open, answered, closed' },
      { name: 'raised_at', type: 'timestamp', meaning: 'When it was raised (UTC)' },
      {
        name: 'value_corrected',
        type: 'boolean',
        meaning: 'Whether any answer said the value was corrected; empty if not answered',
        allowed: 'true, false',
      },
      { name: 'closed_at', type: 'timestamp', meaning: 'When it was closed (UTC); empty if not' },
    ],
    rows: (db, trialId) =>
      rowsOf(
        db,
        sql`SELECT r.study_id, q.field, q.value_as_raised, q.status, ${isoTime(sql`q.raised_at`)} AS raised_at,
                   (SELECT bool_or(a.value_corrected) FROM trial_data_query_replies a
                     WHERE a.query_id = q.id AND a.kind = 'answer') AS value_corrected,
                   ${isoTime(sql`q.closed_at`)} AS closed_at
              FROM trial_data_queries q JOIN trial_randomisations r ON r.id = q.randomisation_id
             WHERE q.trial_id = ${trialId} AND ${keptFor(sql`r`)}
             ORDER BY r.study_id, q.raised_at, q.id`,
      ),
  },
  {
    key: 'protocol_deviations',
    title: 'Protocol deviations',
    meaning:
      'Protocol deviations, without their words. A deviation whose kind names the arm (such as the intervention given to a control participant) is given without its study ID',
    columns: [
      {
        ...STUDY_ID,
        meaning: 'The study ID of the person it was about; empty if none, or if its kind names the arm',
      },
      { name: 'kind', type: 'text', meaning: 'The kind of deviation (src/trial/protocol-deviations.json)' },
      { name: 'occurred_on', type: 'date', meaning: 'The day it happened' },
      {
        name: 'severity',
        type: 'text',
        meaning: 'How serious it was',
        allowed: 'minor, major, serious_breach',
      },
    ],
    rows: async (db, trialId, { deviations }) => {
      const namesArm = new Set(deviations.kinds.filter((k) => k.namesArm).map((k) => k.key));
      const rows = await rowsOf<ExportRow & { kind: string }>(
        db,
        sql`SELECT r.study_id, d.kind, ${isoDate(sql`d.occurred_on`)} AS occurred_on, d.severity
              FROM trial_deviations d LEFT JOIN trial_randomisations r ON r.id = d.randomisation_id
             WHERE d.trial_id = ${trialId} AND (r.id IS NULL OR ${keptFor(sql`r`)})
             ORDER BY d.occurred_on, d.kind, r.study_id`,
      );
      return rows.map((row) => (namesArm.has(row.kind) ? { ...row, study_id: null } : row));
    },
  },
];

export function exportTable(key: string): ExportTable | undefined {
  return EXPORT_TABLES.find((t) => t.key === key);
}

/** One table's CSV rows: the header, then each row's cells in the columns' order. */
export function tableCsvRows(table: ExportTable, rows: readonly ExportRow[]): (string | number | null)[][] {
  return [
    table.columns.map((c) => c.name),
    ...rows.map((row) =>
      table.columns.map((c) => {
        const value = row[c.name];
        return typeof value === 'boolean' ? String(value) : (value ?? null);
      }),
    ),
  ];
}

/** The data dictionary: every table's columns with their type, meaning and allowed values. */
export function dictionaryCsvRows(tables: readonly ExportTable[] = EXPORT_TABLES): string[][] {
  return [
    ['dictionary_version', 'table', 'file', 'column', 'type', 'meaning', 'allowed_values'],
    ...tables.flatMap((table) =>
      table.columns.map((c) => [
        String(DICTIONARY_VERSION),
        table.title,
        `${table.key}.csv`,
        c.name,
        c.type,
        c.meaning,
        c.allowed ?? '',
      ]),
    ),
  ];
}
