/**
 * What the staff participant page shows, laid out for its template (`summary.njk`): the
 * record's own part, each panel, and the names, numbers and dates as people read them.
 */
import type { EndingPanel } from '../endings/ending-summary.service.ts';
import type { SharedSummary } from '../plan/plan-sharing.service.ts';
import type { ReminderPanelView } from '../reminders/reminders.view-model.ts';
import type { ContactPanel } from '../contact/contact.view-model.ts';
import type { ConsentPanel } from '../consent/consent.service.ts';
import type { OpenChangeRequest } from '../sessions/change-request.repository.ts';
import type { ConcernsPanel } from '../concerns/worker-concerns.service.ts';
import type { LanguagePanel } from '../equality/equality.service.ts';
import { workedOnItems, type SessionListItem, type WorkedOnItem } from '../sessions/session.view-model.ts';
import type { AllocationHistoryItem, ParticipantWithAllocation } from './participant.repository.ts';
import type { ParticipantSummary } from './participant.service.ts';
import { displayName } from './display-name.ts';
import { formatNhsNumber } from './nhs-number.ts';
import { formatUkMobile, formatUkPhone } from './contact.ts';
import { programmeWindow, type ProgrammeWindow } from './programme-window.ts';

const CONTACT_LABELS: Record<string, string> = {
  sms: 'Text message',
  email: 'Email',
  phone: 'Phone call',
  post: 'Letter',
};

/** Everything the page reads (ParticipantPageService.view). */
export interface ParticipantPageData {
  summary: ParticipantSummary;
  /** Whether a session may be booked from this page (ParticipantPageService decides). */
  canBookSession: boolean;
  ending: EndingPanel;
  plan: SharedSummary;
  reminders: ReminderPanelView;
  contact: ContactPanel;
  consent: ConsentPanel;
  changeRequests: OpenChangeRequest[];
  concernsPanel: ConcernsPanel;
  /** Their first language and interpreter need: the only equality answers staff see. */
  language: LanguagePanel;
  /** Today in London, and the programme's window in months. */
  today: string;
  windowMonths: number;
  sectionTitle: (key: string) => string;
}

export interface ParticipantPageView {
  pageTitle: string;
  participant: ParticipantWithAllocation;
  name: string;
  nhsNumber: string | null;
  mobile: string | null;
  phone: string | null;
  contactMethods: string;
  window: ProgrammeWindow;
  history: AllocationHistoryItem[];
  canAllocate: boolean;
  sharedContacts: ParticipantSummary['sharedContacts'];
  sessions: (SessionListItem & { workedOn: WorkedOnItem[] })[];
  plan: SharedSummary;
  sessionCounts: ParticipantSummary['sessionCounts'];
  sessionCap: number;
  canBookSession: boolean;
  ending: EndingPanel;
  reminders: ReminderPanelView;
  contact: ContactPanel;
  consent: ConsentPanel;
  changeRequests: OpenChangeRequest[];
  concernsPanel: ConcernsPanel;
  language: LanguagePanel;
  /** Trial mode: nothing of the programme is offered to them, and why (null when it is). */
  interventionWithheld: { kind: 'trial_control' | 'trial_withdrawn'; since: string } | null;
}

export function participantPageView(data: ParticipantPageData): ParticipantPageView {
  const { summary, plan } = data;
  const { participant } = summary;
  const viewable = new Set(plan.sharedSections);
  const withheld =
    participant.interventionWithheld && participant.interventionWithheldOn
      ? { kind: participant.interventionWithheld, since: participant.interventionWithheldOn }
      : null;
  return {
    pageTitle: displayName(participant),
    participant,
    name: displayName(participant),
    nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
    mobile: participant.mobile ? formatUkMobile(participant.mobile) : null,
    phone: participant.phone ? formatUkPhone(participant.phone) : null,
    contactMethods: participant.contactMethods.map((method) => CONTACT_LABELS[method] ?? method).join(', '),
    window: programmeWindow(participant.dischargedOn, data.today, data.windowMonths),
    history: summary.history,
    canAllocate: summary.canAllocate && !withheld,
    sharedContacts: summary.sharedContacts,
    sessions: summary.sessions.map((session) => ({
      ...session,
      workedOn: workedOnItems(participant.id, session.sectionKeys, data.sectionTitle, viewable),
    })),
    plan,
    sessionCounts: summary.sessionCounts,
    sessionCap: summary.sessionCap,
    canBookSession: data.canBookSession && !withheld,
    ending: data.ending,
    reminders: data.reminders,
    contact: data.contact,
    consent: data.consent,
    changeRequests: data.changeRequests,
    concernsPanel: data.concernsPanel,
    language: data.language,
    interventionWithheld: withheld,
  };
}
