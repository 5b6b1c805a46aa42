/** What the session pages and the participant summary show: words for codes, tags for statuses. */
import type { ProgrammeSessionRow, SessionRevisionRow, SessionStatus } from './session.repository.ts';
import { reasonLabel, type StatusReason } from './status-reasons.ts';

export const MODE_LABELS: Record<ProgrammeSessionRow['mode'], string> = {
  in_person: 'In person',
  phone: 'Phone',
  video: 'Video call',
};

export const PLACE_LABELS: Record<NonNullable<ProgrammeSessionRow['place']>, string> = {
  home: 'Their home',
  community_venue: 'Community venue',
  nhs_site: 'NHS site',
};

export const STATUS_LABELS: Record<SessionStatus, string> = {
  planned: 'Planned',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled_by_participant: 'Cancelled by participant',
  cancelled_by_worker: 'Cancelled by peer support worker',
  rescheduled: 'Rescheduled',
};

/** NHS.UK tag colours: green for done, red for missed, grey for not going ahead. */
const STATUS_TAGS: Record<SessionStatus, string> = {
  planned: 'nhsuk-tag--blue',
  attended: 'nhsuk-tag--green',
  did_not_attend: 'nhsuk-tag--red',
  cancelled_by_participant: 'nhsuk-tag--grey',
  cancelled_by_worker: 'nhsuk-tag--grey',
  rescheduled: 'nhsuk-tag--yellow',
};

/** How a session happens, in the participant's own words: no clinical terms. */
const PARTICIPANT_MEETING_LABELS = {
  home: 'In person at home',
  community_venue: 'In person at a community venue',
  nhs_site: 'In person at an NHS site',
  phone: 'Phone call',
  video: 'Video call',
} as const;

export interface ParticipantSessionItem {
  id: string;
  plannedAt: Date;
  how: string;
  workerFirstName: string;
}

/** An upcoming session as the participant sees it: when, how and with whom, nothing else. */
export function participantSessionItem(
  session: ProgrammeSessionRow & { peerWorkerName: string },
): ParticipantSessionItem {
  const how =
    session.mode === 'in_person'
      ? session.place
        ? PARTICIPANT_MEETING_LABELS[session.place]
        : 'In person'
      : PARTICIPANT_MEETING_LABELS[session.mode];
  return {
    id: session.id,
    plannedAt: session.plannedAt,
    how,
    workerFirstName: session.peerWorkerName.split(' ')[0] ?? session.peerWorkerName,
  };
}

export interface SessionListItem {
  id: string;
  plannedAt: Date;
  mode: string;
  place: string | null;
  status: string;
  tagClass: string;
  detail: string | null;
  /** Keys of the plan sections worked on at an attended session (titles come from the plan template). */
  sectionKeys: string[];
  recordHref: string | null;
  recordText: string;
  /** The session planned as the programme's ending, shown with an "Ending session" tag. */
  isEnding: boolean;
  /** The worker marked a concern to raise with the crisis team at this session. */
  concernToRaise: boolean;
}

export function sessionListItem(
  session: ProgrammeSessionRow,
  canRecord: boolean,
  reasons: readonly StatusReason[],
): SessionListItem {
  let detail: string | null = null;
  if (session.status === 'attended') {
    detail = `${String(session.durationMinutes ?? 0)} minutes`;
  } else if (session.statusReason) {
    detail =
      session.statusReason === 'other' && session.statusReasonOther
        ? session.statusReasonOther
        : reasonLabel(session.statusReason, reasons);
  }
  return {
    id: session.id,
    plannedAt: session.plannedAt,
    mode: MODE_LABELS[session.mode],
    place: session.place ? PLACE_LABELS[session.place] : null,
    status: STATUS_LABELS[session.status],
    tagClass: STATUS_TAGS[session.status],
    detail,
    sectionKeys: session.status === 'attended' ? session.sections : [],
    recordHref: canRecord ? `/sessions/${session.id}/record` : null,
    recordText: session.status === 'planned' ? 'Record what happened' : 'Change',
    isEnding: session.isEnding,
    concernToRaise: session.concernToRaise,
  };
}

/** The record form's boxes filled from what was recorded before, for changing it. */
export function recordedValues(session: ProgrammeSessionRow): Record<string, unknown> {
  if (session.status === 'planned') return { version: String(session.version) };
  return {
    version: String(session.version),
    status: session.status,
    reason: session.statusReason ?? undefined,
    reasonOther: session.statusReasonOther ?? undefined,
    durationMinutes: session.durationMinutes === null ? undefined : String(session.durationMinutes),
    sections: session.sections,
    storySharing: session.storySharing === null ? undefined : session.storySharing ? 'yes' : 'no',
    note: session.note ?? undefined,
    followUps: session.followUps ?? undefined,
    concernToRaise: session.concernToRaise ? 'yes' : undefined,
  };
}

export interface SessionChangeItem {
  changedAt: Date;
  changedByName: string;
  /** What the change was: the first record, or a change from an earlier status. */
  what: string;
  why: string | null;
}

function isStatus(value: unknown): value is SessionStatus {
  return typeof value === 'string' && Object.hasOwn(STATUS_LABELS, value);
}

/** One earlier version of a session, as the record page lists it. */
export function sessionChangeItem(
  revision: SessionRevisionRow & { changedByName: string },
): SessionChangeItem {
  const before = revision.snapshot.status;
  const what =
    !isStatus(before) || before === 'planned'
      ? 'Recorded what happened'
      : `Changed from "${STATUS_LABELS[before]}"`;
  return { changedAt: revision.changedAt, changedByName: revision.changedByName, what, why: revision.why };
}

export interface WorkedOnItem {
  title: string;
  /** The section's page in the plan, when the participant shares it with this viewer. */
  href: string | null;
}

/**
 * "Worked on: …" for a session: each section's title from the plan template (a section a later
 * template dropped keeps its last known title), linked when the viewer may open it.
 */
export function workedOnItems(
  participantId: string,
  sectionKeys: readonly string[],
  sectionTitle: (key: string) => string,
  viewable: ReadonlySet<string>,
): WorkedOnItem[] {
  return sectionKeys.map((key) => ({
    title: sectionTitle(key),
    href: viewable.has(key) ? `/participants/${participantId}/plan/${key}` : null,
  }));
}
