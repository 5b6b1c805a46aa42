/**
 * The Personal Recovery Plan's default sections (PRODUCT.md section 3), for "sections worked
 * on" in a session. A stand-in: the Personal Recovery Plan issue replaces this list with the
 * versioned workbook template (sections on or off per deployment). Section 8, "Planning for a
 * crisis", is off by default (the source paper omitted it), so it is not offered here.
 */
export const PLAN_SECTIONS = [
  { key: 'moving_on', title: 'Moving on after a crisis' },
  { key: 'recovery_means', title: 'What recovery means to me' },
  { key: 'keeping_well', title: 'Keeping well' },
  { key: 'ups_and_downs', title: 'Managing ups and downs' },
  { key: 'hopes_and_goals', title: 'Hopes, dreams and goals' },
  { key: 'tackling_problems', title: 'Tackling problems' },
  { key: 'people_and_places', title: 'People and places that help' },
] as const;

export type PlanSectionKey = (typeof PLAN_SECTIONS)[number]['key'];

export const PLAN_SECTION_KEYS = PLAN_SECTIONS.map((section) => section.key) as [
  PlanSectionKey,
  ...PlanSectionKey[],
];

export function planSectionTitle(key: string): string {
  return PLAN_SECTIONS.find((section) => section.key === key)?.title ?? key;
}
