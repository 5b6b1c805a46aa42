import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInstruments, parseInstrument, questionnaireResponse, scoreAnswers } from './instruments.ts';

const demoFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'instruments',
  'greenleaf-check-in.json',
);
const demoJson = () =>
  JSON.parse(readFileSync(demoFile, 'utf8')) as Record<string, unknown> & {
    item: Record<string, unknown>[];
    extension: { extension: { url: string }[] }[];
  };
const demo = [...loadInstruments().values()][0]!;
const all = (code: string) =>
  Object.fromEntries(demo.questions.filter((q) => q.type === 'choice').map((q) => [q.linkId, code]));

describe('the demo instrument', () => {
  it('is the only one shipped, a Questionnaire scored 0 to 15 from five choice items', () => {
    expect([...loadInstruments().keys()]).toEqual([
      'https://greenleaf.nhs.uk/fhir/Questionnaire/greenleaf-check-in|1.0.0',
    ]);
    expect(demo.scoring).toEqual({ method: 'sum', minScore: 0, maxScore: 15, maxMissing: 1, prorate: true });
    expect(demo.questions.filter((q) => q.type === 'choice')).toHaveLength(5);
  });
});

describe('scoring', () => {
  it('sums the ordinal values of the answers, from the lowest to the highest', () => {
    expect(scoreAnswers(demo, all('never'))).toEqual({ score: 0, answered: 5, missing: 0 });
    expect(scoreAnswers(demo, all('always'))).toEqual({ score: 15, answered: 5, missing: 0 });
    expect(scoreAnswers(demo, { ...all('some'), hopeful: 'always', days_out: 3 }).score).toBe(7);
  });

  it('prorates one item left out, and gives no score with more left out', () => {
    const { sleep: _left, ...four } = all('most');
    expect(scoreAnswers(demo, four)).toEqual({ score: 10, answered: 4, missing: 1 });
    expect(
      scoreAnswers(demo, {
        coping: 'always',
        hopeful: 'some',
        someone_to_talk_to: 'never',
        know_what_to_do: 'most',
      }).score,
    ).toBe(7.5);
    const { sleep: _a, hopeful: _b, ...three } = all('most');
    expect(scoreAnswers(demo, three)).toEqual({ score: null, answered: 3, missing: 2 });
  });

  it('sums what was answered when the instrument does not prorate', () => {
    const json = demoJson();
    json.extension[0]!.extension = json.extension[0]!.extension.map((p) =>
      p.url === 'prorate' ? { url: 'prorate', valueBoolean: false } : p,
    );
    const plain = parseInstrument(json, 'plain');
    const { sleep: _left, ...four } = all('most');
    expect(scoreAnswers(plain, four).score).toBe(8);
  });

  it('keeps the answers as a QuestionnaireResponse naming the questionnaire and version', () => {
    const response = questionnaireResponse(
      demo,
      { coping: 'some', days_out: 4 },
      new Date('2027-03-01T10:00:00Z'),
    );
    expect(response).toEqual({
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'https://greenleaf.nhs.uk/fhir/Questionnaire/greenleaf-check-in|1.0.0',
      status: 'completed',
      authored: '2027-03-01T10:00:00.000Z',
      item: [
        { linkId: 'coping', answer: [{ valueCoding: { code: 'some', display: 'Some of the time' } }] },
        { linkId: 'days_out', answer: [{ valueInteger: 4 }] },
      ],
    });
  });
});

describe('a file that does not fit stops the start, naming the fault', () => {
  it('a declared range the items do not give', () => {
    const json = demoJson();
    json.extension[0]!.extension = json.extension[0]!.extension.map((p) =>
      p.url === 'maxScore' ? { url: 'maxScore', valueDecimal: 20 } : p,
    );
    expect(() => parseInstrument(json, 'bad.json')).toThrow(
      /bad.json is not valid: .*declares 0 to 20, but its items sum to 0 to 15/,
    );
  });

  it('a choice item without options, an answer option without its ordinal value, a linkId twice', () => {
    const noOptions = demoJson();
    delete noOptions.item[0]!.answerOption;
    expect(() => parseInstrument(noOptions, 'x')).toThrow(/choice item "coping" has no answerOption/);
    const noOrdinal = demoJson();
    (noOrdinal.item[1]!.answerOption as Record<string, unknown>[])[0]!.extension = [];
    expect(() => parseInstrument(noOrdinal, 'x')).toThrow(/item\.1\.answerOption\.0\.extension/);
    const twice = demoJson();
    twice.item[2]!.linkId = 'coping';
    expect(() => parseInstrument(twice, 'x')).toThrow(/linkId "coping" appears twice/);
  });

  it('something that is not a Questionnaire', () => {
    expect(() => parseInstrument({ ...demoJson(), resourceType: 'Patient' }, 'x')).toThrow(/resourceType/);
  });
});
