export const STAFF_ROLES = [
  'peer_worker',
  'supervisor',
  'clinician',
  'coordinator',
  'trial_manager',
  'outcome_assessor',
  'analyst',
  'statistician',
] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<StaffRole, string> = {
  peer_worker: 'Peer support worker',
  supervisor: 'Supervisor',
  clinician: 'Crisis team clinician',
  coordinator: 'Programme coordinator',
  trial_manager: 'Trial manager',
  outcome_assessor: 'Outcome assessor',
  analyst: 'Analyst',
  statistician: 'Unblinded statistician',
};

export interface StaffActor {
  kind: 'staff';
  id: string;
  trustId: string;
  crisisTeamId: string | null;
  roles: readonly StaffRole[];
  fullName: string;
  /**
   * Their caseload's version as read with their sign-in session: a caseload computed at this
   * version may be shown again (caseload-cache.ts). Absent: always read afresh.
   */
  caseloadVersion?: number;
}

export interface ParticipantActor {
  kind: 'participant';
  id: string;
  trustId: string;
  crisisTeamId: string;
  displayName: string;
}

export type Actor = StaffActor | ParticipantActor;

/** Who is acting and from where: what every service call needs for policy and audit. */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
}

export function hasRole(actor: Actor, role: StaffRole): boolean {
  return actor.kind === 'staff' && actor.roles.includes(role);
}
