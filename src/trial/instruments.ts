/**
 * Follow-up questionnaires as data (PRODUCT.md section 7): FHIR R4 Questionnaire-shaped JSON files
 * in `instruments/`, checked when the service starts (one that does not fit stops it, naming the
 * file and the fault). The project ships only its own short demonstration instrument; a
 * deployment drops in the licensed ones its protocol names. Each declares how it is scored in an
 * extension (`SCORING_URL`): the sum of its choice items' ordinal values (FHIR's `ordinalValue`
 * extension on each answer option), the range that gives, how many items may be left out and
 * whether the score is then prorated. Answers are kept as a QuestionnaireResponse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDataFile } from '../platform/data-file.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'instruments');

export const ORDINAL_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
export const MIN_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const SCORING_URL = 'https://greenleaf.nhs.uk/fhir/StructureDefinition/questionnaire-scoring';

/** FHIR's linkId, kept to what is safe in a form field's name. */
const linkId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, {
  error: 'linkId must be 1 to 40 letters, digits, ".", "_" or "-"',
});

const answerOption = z.strictObject({
  valueCoding: z.strictObject({
    system: z.string().optional(),
    code: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
    display: z.string().trim().min(1).max(120),
  }),
  extension: z.tuple([z.strictObject({ url: z.literal(ORDINAL_URL), valueDecimal: z.number() })]),
});

const bound = z.strictObject({ url: z.enum([MIN_VALUE_URL, MAX_VALUE_URL]), valueInteger: z.number().int() });

const item = z.strictObject({
  linkId,
  text: z.string().trim().min(1).max(300),
  type: z.enum(['choice', 'integer', 'string']),
  required: z.boolean(),
  answerOption: z.array(answerOption).min(2).max(12).optional(),
  extension: z.array(bound).max(2).optional(),
});

const scoringPart = z.discriminatedUnion('url', [
  z.strictObject({ url: z.literal('method'), valueCode: z.literal('sum') }),
  z.strictObject({ url: z.literal('minScore'), valueDecimal: z.number() }),
  z.strictObject({ url: z.literal('maxScore'), valueDecimal: z.number() }),
  z.strictObject({ url: z.literal('maxMissing'), valueInteger: z.number().int().min(0) }),
  z.strictObject({ url: z.literal('prorate'), valueBoolean: z.boolean() }),
]);

const schema = z
  .strictObject({
    resourceType: z.literal('Questionnaire'),
    id: z.string().optional(),
    url: z.url(),
    version: z.string().regex(/^[A-Za-z0-9.-]{1,20}$/),
    status: z.enum(['draft', 'active', 'retired']),
    title: z.string().trim().min(1).max(120),
    description: z.string().optional(),
    copyright: z.string().optional(),
    extension: z.tuple([
      z.strictObject({ url: z.literal(SCORING_URL), extension: z.array(scoringPart).length(5) }),
    ]),
    item: z.array(item).min(1).max(100),
  })
  .superRefine((q, ctx) => {
    const fault = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
    };
    const ids = q.item.map((i) => i.linkId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) fault(`linkId "${twice}" appears twice`);
    for (const i of q.item) {
      if (i.type === 'choice' && !i.answerOption) fault(`choice item "${i.linkId}" has no answerOption`);
      if (i.type !== 'choice' && i.answerOption)
        fault(`${i.type} item "${i.linkId}" cannot have answerOption`);
      const codes = (i.answerOption ?? []).map((o) => o.valueCoding.code);
      if (new Set(codes).size !== codes.length) fault(`item "${i.linkId}" has an answer code twice`);
      const urls = (i.extension ?? []).map((e) => e.url);
      if (i.type === 'integer' && !(urls.includes(MIN_VALUE_URL) && urls.includes(MAX_VALUE_URL)))
        fault(`integer item "${i.linkId}" needs minValue and maxValue`);
      if (i.type !== 'integer' && urls.length > 0)
        fault(`${i.type} item "${i.linkId}" cannot have minValue or maxValue`);
    }
    const parts = new Map(q.extension[0].extension.map((p) => [p.url, p]));
    if (parts.size !== 5) {
      fault('scoring must declare method, minScore, maxScore, maxMissing and prorate, each once');
      return;
    }
    const scored = q.item.filter((i) => i.type === 'choice');
    if (scored.length === 0) fault('a scored instrument needs at least one choice item');
    const ordinals = (i: (typeof scored)[number]) =>
      (i.answerOption ?? []).map((o) => o.extension[0].valueDecimal);
    const least = scored.reduce((n, i) => n + Math.min(...ordinals(i)), 0);
    const most = scored.reduce((n, i) => n + Math.max(...ordinals(i)), 0);
    const declared = scoringOf(q);
    if (declared.minScore !== least || declared.maxScore !== most)
      fault(
        `scoring declares ${declared.minScore} to ${declared.maxScore}, but its items sum to ${least} to ${most}`,
      );
    if (declared.maxMissing >= scored.length) fault('maxMissing must leave at least one scored item');
  });

type QuestionnaireFile = z.infer<typeof schema>;

export interface Scoring {
  method: 'sum';
  minScore: number;
  maxScore: number;
  /** Scored items that may be left out and still give a score. */
  maxMissing: number;
  /** With items left out: the mean of those answered times how many there are (else their sum). */
  prorate: boolean;
}

function scoringOf(q: Pick<QuestionnaireFile, 'extension'>): Scoring {
  const out: Partial<Record<string, unknown>> = {};
  for (const part of q.extension[0].extension)
    out[part.url] =
      'valueCode' in part
        ? part.valueCode
        : 'valueDecimal' in part
          ? part.valueDecimal
          : 'valueInteger' in part
            ? part.valueInteger
            : part.valueBoolean;
  return out as unknown as Scoring;
}

export interface Question {
  linkId: string;
  text: string;
  type: 'choice' | 'integer' | 'string';
  required: boolean;
  options: { code: string; display: string; ordinal: number }[];
  min?: number;
  max?: number;
}

export interface Instrument {
  /** `url|version`, as a QuestionnaireResponse names its Questionnaire. */
  canonical: string;
  url: string;
  version: string;
  title: string;
  questions: Question[];
  scoring: Scoring;
}

export function parseInstrument(json: unknown, source: string): Instrument {
  const q = parseDataFile(schema, json, source);
  return {
    canonical: `${q.url}|${q.version}`,
    url: q.url,
    version: q.version,
    title: q.title,
    scoring: scoringOf(q),
    questions: q.item.map((i) => {
      const bounds = new Map((i.extension ?? []).map((e) => [e.url, e.valueInteger]));
      return {
        linkId: i.linkId,
        text: i.text,
        type: i.type,
        required: i.required,
        options: (i.answerOption ?? []).map((o) => ({
          code: o.valueCoding.code,
          display: o.valueCoding.display,
          ordinal: o.extension[0].valueDecimal,
        })),
        ...(bounds.has(MIN_VALUE_URL) ? { min: bounds.get(MIN_VALUE_URL) } : {}),
        ...(bounds.has(MAX_VALUE_URL) ? { max: bounds.get(MAX_VALUE_URL) } : {}),
      };
    }),
  };
}

/** Every `.json` in the instruments folder, by canonical `url|version`; a bad file stops the start. */
export function loadInstruments(dir = DIR): Map<string, Instrument> {
  const found = new Map<string, Instrument>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`${file} is not valid: ${(error as Error).message}`);
    }
    const instrument = parseInstrument(json, file);
    if (found.has(instrument.canonical))
      throw new Error(`${file} is not valid: ${instrument.canonical} is declared twice`);
    found.set(instrument.canonical, instrument);
  }
  return found;
}

/** One questionnaire's answers: a choice item's code, an integer, or text; left-out items absent. */
export type Answers = Partial<Record<string, string | number>>;

export interface Scored {
  /** Null when more items were left out than the instrument allows. */
  score: number | null;
  answered: number;
  missing: number;
}

/** The declared score of a questionnaire's answers (pure). */
export function scoreAnswers(instrument: Instrument, answers: Answers): Scored {
  const scored = instrument.questions.filter((q) => q.type === 'choice');
  let sum = 0;
  let answered = 0;
  for (const q of scored) {
    const option = q.options.find((o) => o.code === answers[q.linkId]);
    if (!option) continue;
    sum += option.ordinal;
    answered += 1;
  }
  const missing = scored.length - answered;
  if (missing > instrument.scoring.maxMissing || answered === 0) return { score: null, answered, missing };
  const score =
    instrument.scoring.prorate && missing > 0 ? Math.round((sum / answered) * scored.length * 10) / 10 : sum;
  return { score, answered, missing };
}

export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  questionnaire: string;
  status: 'completed';
  authored: string;
  item: {
    linkId: string;
    answer: (
      { valueCoding: { code: string; display: string } } | { valueInteger: number } | { valueString: string }
    )[];
  }[];
}

/** The answers as a FHIR QuestionnaireResponse (no subject: the row it is kept in says whose). */
export function questionnaireResponse(
  instrument: Instrument,
  answers: Answers,
  authored: Date,
): QuestionnaireResponse {
  const item: QuestionnaireResponse['item'] = [];
  for (const q of instrument.questions) {
    const value = answers[q.linkId];
    if (value === undefined) continue;
    if (q.type === 'choice') {
      const option = q.options.find((o) => o.code === value);
      if (option)
        item.push({
          linkId: q.linkId,
          answer: [{ valueCoding: { code: option.code, display: option.display } }],
        });
    } else if (q.type === 'integer' && typeof value === 'number')
      item.push({ linkId: q.linkId, answer: [{ valueInteger: value }] });
    else if (q.type === 'string' && typeof value === 'string')
      item.push({ linkId: q.linkId, answer: [{ valueString: value }] });
  }
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: instrument.canonical,
    status: 'completed',
    authored: authored.toISOString(),
    item,
  };
}
