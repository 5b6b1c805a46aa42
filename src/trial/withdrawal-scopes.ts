/**
 * How far someone withdraws from the trial, narrowest first: each scope includes the ones
 * before it. A later withdrawal may only be wider than the widest so far.
 */
export const WITHDRAWAL_SCOPES = ['intervention', 'follow_up', 'data'] as const;
export type WithdrawalScope = (typeof WITHDRAWAL_SCOPES)[number];

export const SCOPE_TITLES: Record<WithdrawalScope, string> = {
  intervention: 'From the intervention only',
  follow_up: 'From further follow-up',
  data: 'From any use of their data',
};

/** What each scope means for the rest of the service, in the words the form shows. */
export const SCOPE_EXPLANATIONS: Record<WithdrawalScope, string> = {
  intervention:
    'They stop peer support. They stay in the trial: we still ask them to complete follow-up questionnaires and use their data, including what is collected from their records.',
  follow_up:
    'They stop peer support and we do not contact them for follow-up again. Data collected up to now, and from their records, is still used.',
  data: 'They stop peer support, we do not contact them again, and none of their data is used in any analysis or export.',
};

/** The widest of some scopes, or null when there are none. */
export function widestScope(scopes: readonly WithdrawalScope[]): WithdrawalScope | null {
  let widest: WithdrawalScope | null = null;
  for (const scope of scopes) {
    if (widest === null || WITHDRAWAL_SCOPES.indexOf(scope) > WITHDRAWAL_SCOPES.indexOf(widest))
      widest = scope;
  }
  return widest;
}

/** The scopes a further withdrawal may take: those wider than the widest so far. */
export function widerScopes(current: WithdrawalScope | null): WithdrawalScope[] {
  return current === null
    ? [...WITHDRAWAL_SCOPES]
    : WITHDRAWAL_SCOPES.slice(WITHDRAWAL_SCOPES.indexOf(current) + 1);
}
