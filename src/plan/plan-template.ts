/**
 * The Personal Recovery Plan's template (PRODUCT.md section 3): sections are content, not code.
 * Each version lives in `templates/v<N>.json` and is validated at start-up; a participant's
 * plan records the version it was started on and is always shown with that version, so a new
 * version never breaks an existing plan. A deployment can switch sections on or off by key
 * (`PLAN_SECTIONS_ON`, `PLAN_SECTIONS_OFF`) without editing the template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TEMPLATES_DIR = path.join(here, 'templates');

export const FIELD_KINDS = ['text', 'list', 'goals', 'supporters', 'services'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const VISIBILITIES = ['private', 'worker', 'care_team'] as const;
/** Who may see a section besides the participant: nobody, their peer support worker, or also their care team. */
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * What "When I'm struggling" (`PlanDocumentsService.struggling`) reads from a plan: the
 * participant's early warning signs, what helps, what others can do and the people to call.
 * It is a safety page (hazard H17), so every template version must have these sections and
 * fields, of these kinds: a template without them would leave the page empty for every plan on
 * it, with nothing to say why. Loading refuses such a template, naming what is missing.
 */
export const STRUGGLING_SOURCES = {
  warningSigns: { section: 'ups_and_downs', field: 'warning_signs', kind: 'list' },
  whatHelps: { section: 'ups_and_downs', field: 'what_i_will_do', kind: 'list' },
  whatOthersCanDo: { section: 'ups_and_downs', field: 'what_others_can_do', kind: 'list' },
  supporters: { section: 'people_and_places', field: 'supporters', kind: 'supporters' },
} as const satisfies Record<string, { section: string; field: string; kind: FieldKind }>;

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'keys are lower case letters, digits and _ (at most 40)');
const words = (max: number) => z.string().trim().min(1).max(max);

const fieldSchema = z.strictObject({
  key,
  kind: z.enum(FIELD_KINDS),
  label: words(120),
  hint: words(300).optional(),
});

const sectionSchema = z.strictObject({
  key,
  title: words(80),
  purpose: words(300),
  prompts: z.array(words(300)).max(10),
  enabled: z.boolean(),
  defaultSharing: z.enum(VISIBILITIES),
  info: z.array(key).max(5),
  fields: z.array(fieldSchema).min(1).max(10),
});

const infoPageSchema = z.strictObject({
  key,
  title: words(80),
  paragraphs: z.array(words(1000)).min(1).max(20),
});

export const templateSchema = z
  .strictObject({
    version: z.number().int().min(1),
    title: words(80),
    introduction: words(500),
    sections: z.array(sectionSchema).min(1).max(20),
    info: z.array(infoPageSchema).max(20),
  })
  .superRefine((template, ctx) => {
    const duplicate = (keys: string[]) => keys.find((k, i) => keys.indexOf(k) !== i);
    const sectionDup = duplicate(template.sections.map((s) => s.key));
    if (sectionDup) ctx.addIssue({ code: 'custom', message: `section "${sectionDup}" appears twice` });
    const infoDup = duplicate(template.info.map((p) => p.key));
    if (infoDup) ctx.addIssue({ code: 'custom', message: `information page "${infoDup}" appears twice` });
    const infoKeys = new Set(template.info.map((p) => p.key));
    for (const section of template.sections) {
      const fieldDup = duplicate(section.fields.map((f) => f.key));
      if (fieldDup)
        ctx.addIssue({ code: 'custom', message: `${section.key}: field "${fieldDup}" appears twice` });
      for (const info of section.info) {
        if (!infoKeys.has(info))
          ctx.addIssue({ code: 'custom', message: `${section.key}: no information page "${info}"` });
      }
    }
    if (!template.sections.some((s) => s.enabled))
      ctx.addIssue({ code: 'custom', message: 'at least one section must be on' });
    for (const source of Object.values(STRUGGLING_SOURCES)) {
      const field = template.sections
        .find((s) => s.key === source.section)
        ?.fields.find((f) => f.key === source.field);
      if (field?.kind !== source.kind) {
        ctx.addIssue({
          code: 'custom',
          message: `${source.section}.${source.field}: "When I'm struggling" reads this ${source.kind} field, and ${field ? `it is a ${field.kind} field here` : 'this template has no such field'}`,
        });
      }
    }
  });

export type PlanTemplate = z.infer<typeof templateSchema>;
export type PlanSectionTemplate = PlanTemplate['sections'][number];
export type PlanFieldTemplate = PlanSectionTemplate['fields'][number];
export type InfoPage = PlanTemplate['info'][number];

export interface SectionSwitches {
  on: readonly string[];
  off: readonly string[];
}

/** Every template version, oldest first; the last is the one new plans start on. */
export class PlanTemplates {
  readonly versions: readonly PlanTemplate[];

  constructor(versions: readonly PlanTemplate[], switches: SectionSwitches = { on: [], off: [] }) {
    if (versions.length === 0) throw new Error('No recovery plan template');
    const known = new Set(versions.flatMap((t) => t.sections.map((s) => s.key)));
    for (const k of [...switches.on, ...switches.off]) {
      if (!known.has(k)) throw new Error(`Recovery plan: no section "${k}" to switch on or off`);
    }
    this.versions = [...versions]
      .sort((a, b) => a.version - b.version)
      .map((template) => ({
        ...template,
        sections: template.sections.map((section) => ({
          ...section,
          enabled: switches.off.includes(section.key)
            ? false
            : switches.on.includes(section.key) || section.enabled,
        })),
      }));
    if (new Set(this.versions.map((t) => t.version)).size !== this.versions.length) {
      throw new Error('Recovery plan: two templates have the same version');
    }
  }

  get latest(): PlanTemplate {
    const latest = this.versions.at(-1);
    if (!latest) throw new Error('No recovery plan template');
    return latest;
  }

  /** The template a plan was started on; an unknown version falls back to the latest. */
  version(version: number): PlanTemplate {
    return this.versions.find((t) => t.version === version) ?? this.latest;
  }

  /** The sections switched on in the latest template, in order. */
  get enabledSections(): PlanSectionTemplate[] {
    return this.latest.sections.filter((s) => s.enabled);
  }

  info(key: string): InfoPage | undefined {
    for (let i = this.versions.length - 1; i >= 0; i--) {
      const page = this.versions[i]?.info.find((p) => p.key === key);
      if (page) return page;
    }
    return undefined;
  }

  sectionTitle(sectionKey: string): string {
    for (let i = this.versions.length - 1; i >= 0; i--) {
      const section = this.versions[i]?.sections.find((s) => s.key === sectionKey);
      if (section) return section.title;
    }
    return sectionKey;
  }
}

/** Parses one template file's JSON, with every problem named. */
export function parseTemplate(json: unknown, source: string): PlanTemplate {
  const result = templateSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(template)'}: ${i.message}`);
    throw new Error(`Recovery plan template ${source} is not valid:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** Reads and validates every `v<N>.json` in the templates folder (at start-up). */
export function loadPlanTemplates(switches?: SectionSwitches, dir = TEMPLATES_DIR): PlanTemplates {
  const files = readdirSync(dir).filter((f) => /^v\d+\.json$/.test(f));
  const versions = files.map((file) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new Error(`Recovery plan template ${file} is not valid JSON: ${(error as Error).message}`);
    }
    const template = parseTemplate(json, file);
    if (`v${template.version}.json` !== file) {
      throw new Error(`Recovery plan template ${file} says it is version ${template.version}`);
    }
    return template;
  });
  return new PlanTemplates(versions, switches);
}

/** "a, b" → ["a", "b"]; blank → []. */
export function sectionKeyList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
