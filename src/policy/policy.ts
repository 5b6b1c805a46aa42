/**
 * The one access policy. Services ask `can(actor, action, resource)` before every read and
 * write; templates receive the answers as booleans. `policy.test.ts` runs every role against
 * own, other and unallocated records.
 */
import { hasRole, type Actor, type StaffRole } from './actor.ts';
import type { NotificationTemplate } from '../config.ts';
import type { Visibility } from '../plan/plan-template.ts';

export type Resource =
  | { type: 'trust'; trustId: string }
  | { type: 'crisisTeam'; trustId: string; crisisTeamId: string }
  | { type: 'staff'; trustId: string; staffId: string }
  | {
      /** A member of staff's caseload; only someone who holds the peer support worker role has one. */
      type: 'caseload';
      trustId: string;
      workerId: string;
      peerWorker: boolean;
    }
  | {
      type: 'participant';
      participantId: string;
      trustId: string;
      crisisTeamId: string;
      allocatedWorkerId: string | null;
    }
  | {
      /** A participant's end-of-programme summary; clinicians see it once it is shared with their team. */
      type: 'ending';
      participantId: string;
      trustId: string;
      crisisTeamId: string;
      allocatedWorkerId: string | null;
      sharedWithCrisisTeam: boolean;
    }
  | {
      /** A safety concern or advice request, in the duty inbox of `crisisTeamId`. */
      type: 'concern';
      trustId: string;
      crisisTeamId: string;
      participantId: string;
      raisedBy: string;
    }
  | {
      /** One section of a participant's recovery plan, with who the participant shares it with. */
      type: 'planSection';
      participantId: string;
      trustId: string;
      crisisTeamId: string;
      allocatedWorkerId: string | null;
      visibility: Visibility;
      programmeEnded: boolean;
    }
  | {
      /**
       * A worker's private request for support: the worker's, and the supervisors it went to
       * (their named supervisor, or their team's), never anyone else's.
       */
      type: 'wellbeing';
      trustId: string;
      workerId: string;
      supervisorIds: readonly string[];
    }
  | {
      /** A peer support worker as someone supervised: by their supervisors of now (named, else their team's). */
      type: 'supervisee';
      trustId: string;
      workerId: string;
      supervisorIds: readonly string[];
    }
  | {
      /**
       * A request for support from an experienced peer worker: the asker's, the experienced
       * workers' it went to (until one takes it), the one who took it, and the asker's supervisors.
       */
      type: 'peerSupport';
      trustId: string;
      requesterId: string;
      takenBy: string | null;
      closed: boolean;
      experiencedIds: readonly string[];
      supervisorIds: readonly string[];
    }
  | {
      /** An appointment panel (a vacancy's): its members and its chair. */
      type: 'panel';
      trustId: string;
      memberIds: readonly string[];
      chairId: string;
      /** The members who have submitted their scores for the candidate in question. */
      submittedIds: readonly string[];
    }
  | {
      /** A 1:1 supervision: the worker's and the supervisor who held it, nobody else's. */
      type: 'oneToOne';
      trustId: string;
      workerId: string;
      heldBy: string;
    }
  | {
      /**
       * A trust taking part in the trial (`trustId`), with every site of the trial: research
       * staff work across the trusts of their study, never at a trust that is not one of them.
       */
      type: 'trialSite';
      trustId: string;
      siteTrustIds: readonly string[];
    }
  | {
      /** A message of one kind in the demo outbox (demo mode only; one trust). */
      type: 'notification';
      trustId: string;
      template: NotificationTemplate;
    };

/**
 * Every action the policy decides, each with who may take it. Declared once, as data: the
 * `Action` type, the matrix test's columns and the route table are all read from this list, so a
 * new action is tested from the moment it is added.
 */
export const ACTIONS = [
  /** Refer a person at discharge into a crisis team's programme. */
  'referral.create',
  /** List the referrals of a crisis team (resource: crisisTeam) or of the whole trust (trust). */
  'referral.list',
  /** Open a participant's identifiable record. */
  'participant.view',
  /** Choose or change the participant's peer support worker. */
  'participant.allocate',
  /** See who waits for a first or a new peer support worker, to allocate them (resource: trust): the coordinator. */
  'allocation.list_waiting',
  /** See a worker's caseload (resource: caseload): the worker themselves, supervisors, the coordinator. */
  'caseload.view',
  /** See every worker's caseload and who waits for allocation in a trust. */
  'caseload.overview',
  /** Create and change crisis teams. */
  'team.manage',
  /** Create staff accounts (resource: trust) or change one (resource: staff). */
  'staff.manage',
  /** Change your own password (resource: staff, themselves): every staff account. */
  'account.change_password',
  /** Book a session with the participant (resource: participant): only their current peer support worker. */
  'session.book',
  /** Record or change what happened at a participant's session: only their current peer support worker. */
  'session.record',
  /** Record an attempt to reach the participant between sessions: only their current peer support worker. */
  'contact.record',
  /** Choose how and when session reminders are sent: the participant, and their current peer support worker. */
  'reminders.manage',
  /** End the participant's programme and write the summary: their current worker, or the coordinator. */
  'programme.end',
  /** Send the summary, with the participant's consent, to their care team: their current worker, or the coordinator. */
  'ending.share',
  /** Read an end-of-programme summary (resource: ending). */
  'ending.view',
  /** Say what they thought of the programme once it has ended (resource: ending): only the participant themselves. */
  'feedback.give',
  /** See participants' feedback in aggregate, small numbers withheld (resource: trust or crisisTeam): the coordinator and supervisors. */
  'feedback.report',
  /** Read participants' comments, when enough were written (resource: trust): the coordinator. */
  'feedback.read_comments',
  /** Ask for a session to be moved: only the participant themselves. */
  'session.request_change',
  /** Mark a peer support worker away so their participants wait for reallocation (resource: caseload). */
  'reallocation.request',
  /** Raise a safety concern or ask for advice about a participant: their current peer support worker. */
  'concern.raise',
  /** Read a concern and its thread (resource: concern): who raised it, the team's clinicians, supervisors, the coordinator. */
  'concern.view',
  /** Acknowledge, record the action and close (resource: concern): clinicians of the team whose inbox it is in. */
  'concern.respond',
  /** Write in a concern's thread (resource: concern): who raised it, and the team's clinicians. */
  'concern.message',
  /** Confirm "I have called 999" on an immediate concern (resource: concern): who raised it. */
  'concern.confirm_999',
  /** List the concerns you raised (resource: staff, themselves): peer support workers, the only staff who raise them. */
  'concern.list_own',
  /** Open a crisis team's duty inbox (resource: crisisTeam): that team's clinicians. */
  'concern.inbox',
  /** See every team's concerns, response times and monthly summary (resource: trust). */
  'concern.oversee',
  /** Check in and out of lone visits (resource: staff, themselves): peer support workers. */
  'loneworking.check_in',
  /** See and acknowledge overdue lone-working check-outs (resource: staff, the worker). */
  'loneworking.acknowledge',
  /** See a trust's overdue lone-working check-outs at all (resource: trust): supervisors and the coordinator, who are alerted. */
  'loneworking.oversee',
  /** Record what the participant agrees may be shared with their clinical team: their current worker. */
  'consent.record',
  /** Open a participant's recovery plan to see the sections they share (resource: participant). */
  'plan.open',
  /** Read one section of a recovery plan (resource: planSection): the participant, and whoever they share it with. */
  'plan.view',
  /** Write in a section (resource: planSection): the participant; their current worker, on their behalf, in a section shared with them while the programme runs. */
  'plan.write',
  /** Choose who sees each section, and see who has looked (resource: participant): only the participant. */
  'plan.share',
  /** See how much storage the trust's recovery plans use, and whose use most, never what it is (resource: trust): the coordinator. */
  'plan.storage',
  /** Open the demo outbox (resource: trust), or see one kind of message in it (resource: notification). Demo mode only. */
  'outbox.view',
  /**
   * See the messages that could not be sent after their retries: the trust's (resource: trust),
   * for the coordinator; a crisis team's safety messages (resource: crisisTeam), for its clinicians.
   */
  'messages.view_undelivered',
  /** See a peer support worker's training, checks and whether they may take participants (resource: staff): the worker themselves, supervisors, the coordinator. */
  'training.view',
  /** Record a worker's training or withdraw a record made in error (resource: staff): supervisors and the coordinator. */
  'training.record',
  /** See every worker's training at once, and download it (resource: trust): supervisors and the coordinator. */
  'training.matrix',
  /** Record a worker's pre-employment checks (resource: staff): the coordinator, who appoints. */
  'checks.record',
  /** Ask your supervisor for support, privately (resource: staff, themselves): peer support workers. */
  'wellbeing.ask',
  /** Read a request for support (resource: wellbeing): the worker who asked, and the supervisors it went to. */
  'wellbeing.view',
  /** Acknowledge a request for support (resource: wellbeing): the supervisors it went to. */
  'wellbeing.acknowledge',
  /** See the requests for support sent to you (resource: staff, themselves): supervisors. */
  'wellbeing.inbox',
  /** See how many requests for support each team made, never who (resource: trust): the coordinator. */
  'wellbeing.counts',
  /** See your own supervision: when the next is due, your 1:1s, the groups you went to (resource: staff, themselves): peer support workers. */
  'supervision.view_own',
  /** See every worker's supervision dates and who is overdue, and the group sessions (resource: trust): supervisors and the coordinator. */
  'supervision.oversee',
  /** Record group supervision (resource: trust): supervisors and the coordinator. */
  'supervision.record_group',
  /** Record a 1:1 with a worker (resource: supervisee): their supervisors of now. */
  'supervision.record_one_to_one',
  /** Read a 1:1's notes and agreed actions (resource: oneToOne): the worker and the supervisor who held it. The coordinator sees only that it happened. */
  'supervision.read_one_to_one',
  /** Ask an experienced peer worker for support (resource: staff, themselves): peer support workers. */
  'peersupport.ask',
  /** Read a request for support and its thread (resource: peerSupport). */
  'peersupport.view',
  /** Take a request nobody has taken (resource: peerSupport): the trust's experienced peer workers. */
  'peersupport.take',
  /** Write in, or close, a request's thread (resource: peerSupport): the asker and the one who took it. */
  'peersupport.message',
  /** See the open requests for peer support of the workers you supervise (resource: staff, themselves): supervisors. */
  'peersupport.oversee',
  /** Mark a worker as an experienced peer worker (resource: staff): the coordinator. */
  'peersupport.mark_experienced',
  /** Open a vacancy with its panel, and add candidates (resource: trust): the coordinator, who appoints. */
  'appointment.manage',
  /** See a vacancy, its candidates and their outcomes (resource: panel): the coordinator and the panel. */
  'appointment.view',
  /** Score a candidate against the criteria (resource: panel): each member of its panel. */
  'appointment.score',
  /** See the panel's scores for a candidate (resource: panel): a member who has submitted their own. */
  'appointment.read_scores',
  /** Record the panel's decision and its reasons (resource: panel): the chair, once every member has scored. */
  'appointment.decide',
  /** The workforce at a glance, in counts (resource: trust): supervisors and the coordinator. */
  'workforce.overview',
  /** The service reports, in counts with small numbers withheld (resource: trust): supervisors and the coordinator. */
  'reports.view',
  /** Download a service report as CSV (resource: trust): supervisors and the coordinator. */
  'reports.export',
  /** Name a peer support worker's supervisor (resource: staff, the worker): the coordinator. */
  'supervision.assign',
  /** Let a worker take participants although their training or checks are not complete, with a reason (resource: staff): the coordinator. */
  'allocation.override',
  /**
   * See a participant's first language and whether they need an interpreter, to run sessions
   * (resource: participant): staff who may see the record. Never their other equality answers.
   */
  'equality.view_language',
  /** See and change your own equality monitoring answers (resource: participant): only the participant. */
  'equality.update_own',
  /** See the trial's screening log and its counts so far (resource: trialSite): the trial manager. */
  'trial.view',
  /** Screen someone against the eligibility checklist, and record that they declined or were not approached (resource: trialSite): the trial manager. */
  'trial.screen',
  /** Record someone's consent to take part, and their withdrawal (resource: trialSite): the trial manager. */
  'trial.consent',
  /** Record a serious adverse event of a randomised participant and its report to the sponsor (resource: trialSite): the trial manager. */
  'trial.sae',
  /** Set up the deployment's trial, naming its sites (resource: trust, their own): a trial manager. */
  'trial.set_up',
  /** Randomise someone who consented (resource: trialSite): the trial manager. */
  'trial.randomise',
  /**
   * Know someone's arm, and the arms' balance (resource: trialSite): the trial manager, who
   * randomises and arranges each arm's care. Never an outcome assessor or an analyst: their
   * assessments and analyses are made blind to it.
   */
  'trial.read_arm',
  /**
   * Arrange each arm's care (resource: trialSite): link a randomised person to their participant
   * record (which withholds the intervention from the control group) and record the workbook
   * posted to the control group. The trial manager, who knows the arm.
   */
  'trial.arrange_care',
  /**
   * Record and correct a randomised participant's acute-care episodes, found by study id
   * (resource: trialSite): outcome assessors, blind to the arm, and the trial manager.
   */
  'trial.episodes',
  /**
   * See outcomes by arm, after the database lock or as a data monitoring committee report (resource:
   * trialSite): only the unblinded statistician. Nobody else, the trial manager included.
   */
  'trial.outcomes',
  /**
   * The follow-up lists, entering a follow-up's questionnaires with a guess of the arm, or that it
   * was not done (resource: trialSite): the outcome assessor, blind to the arm. Never the trial
   * manager, who knows arms.
   */
  'trial.follow_up',
  /** Send a participant a one-time link to complete a follow-up online (resource: trialSite): the outcome assessor. */
  'trial.follow_up_invite',
  /** Record that you learned a participant's arm by accident (resource: trialSite): outcome assessors and analysts. */
  'trial.record_unblinding',
  /** See every accidental unblinding recorded (resource: trialSite): the trial manager. */
  'trial.view_unblindings',
  /**
   * Raise a data query on a value of a randomised person's trial record, see the trial's queries,
   * and close or re-open one they raised (resource: trialSite): the trial manager, outcome
   * assessors and analysts. Nothing they are shown gives the arm.
   */
  'trial.query_raise',
  /** Answer a data query (resource: trialSite): the trial manager. */
  'trial.query_answer',
  /** Record and list protocol deviations (resource: trialSite): the trial manager. */
  'trial.deviation',
  /** Lock the trial's database, once (resource: trialSite): the trial manager. */
  'trial.lock',
  /**
   * Download the trial's pseudonymised CSV exports, with a fresh authenticator code (resource:
   * trialSite): analysts. Study ids only, never the arm.
   */
  'trial.export',
] as const;

export type Action = (typeof ACTIONS)[number];

type ResourceOf<T extends Resource['type']> = Extract<Resource, { type: T }>;

/**
 * Who sees each kind of message in the demo outbox: the roles that receive it, or that look
 * after the people who do. Sign-in codes are live credentials: only the coordinator and
 * supervisors, who stand in for a participant's phone when showing the demo.
 */
const OUTBOX_READERS: Record<NotificationTemplate, readonly StaffRole[]> = {
  sign_in_code: ['coordinator', 'supervisor'],
  session_booked: ['coordinator', 'supervisor', 'peer_worker'],
  session_reminder: ['coordinator', 'supervisor', 'peer_worker'],
  rearrange_request: ['coordinator', 'supervisor', 'peer_worker'],
  // To the care team, with the participant's consent: clinical details, so not every worker's.
  ending_summary: ['coordinator', 'clinician'],
  concern_escalation: ['coordinator', 'supervisor', 'clinician'],
  concern_999_unconfirmed: ['coordinator', 'supervisor', 'clinician'],
  // To the worker who raised it, naming nobody.
  concern_reply: ['coordinator', 'supervisor', 'peer_worker'],
  lone_working_alert: ['coordinator', 'supervisor'],
  message_not_delivered: ['coordinator', 'supervisor', 'clinician'],
  // Staff account emails: the coordinator looks after accounts. A set-up link is a live
  // credential, so in the demo only the coordinator (who sends it) may read it.
  staff_account_created: ['coordinator'],
  staff_password_changed: ['coordinator'],
  staff_authenticator_set_up: ['coordinator'],
  staff_set_up_link: ['coordinator'],
  // To the worker and their supervisors: names a member of staff and a course, never a participant.
  training_expiry: ['coordinator', 'supervisor', 'peer_worker'],
  // A worker asking for support: their supervisor's alone (the coordinator sees counts, never names).
  wellbeing_request: ['supervisor'],
  // To the trust's experienced peer workers; to the asker's supervisors when nobody took it.
  peer_support_request: ['peer_worker'],
  peer_support_unanswered: ['supervisor'],
  // To the trial managers: a serious adverse event's report due (a study id, never a name). In the
  // demo outbox the coordinator reads it: research staff have no outbox.
  trial_sae_clock: ['coordinator'],
  // To the worker of someone who withdrew from the trial's peer support (naming nobody), and the
  // coordinator who would end their programme.
  trial_intervention_withdrawn: ['coordinator', 'supervisor', 'peer_worker'],
  // To a trial participant: a link to a follow-up questionnaire, naming neither arm nor
  // intervention. In the demo outbox the coordinator reads it, standing in for their phone.
  trial_follow_up_invitation: ['coordinator'],
};

/** Research staff holding one of `roles`, at a site of their own trial. */
const trialStaff = (actor: Actor, resource: Resource, roles: readonly StaffRole[]): boolean =>
  resource.type === 'trialSite' &&
  actor.kind === 'staff' &&
  roles.some((role) => hasRole(actor, role)) &&
  resource.siteTrustIds.includes(actor.trustId) &&
  resource.siteTrustIds.includes(resource.trustId);

const readsOutbox = (actor: Actor, template: NotificationTemplate) =>
  OUTBOX_READERS[template].some((role) => hasRole(actor, role));

/**
 * The participant's sharing rule for their peer support worker: every choice but "only me". What
 * the worker reads, writes on their behalf and puts in the end-of-programme summary follows it.
 */
export const sharedWithWorker = (visibility: Visibility): boolean => visibility !== 'private';

/** A member of staff's caseload as the policy sees it: whether they hold the role that has one. */
export const caseloadOf = (staff: {
  id: string;
  trustId: string;
  roles: readonly string[];
}): ResourceOf<'caseload'> => ({
  type: 'caseload',
  trustId: staff.trustId,
  workerId: staff.id,
  peerWorker: staff.roles.includes('peer_worker'),
});

const sameTrust = (actor: Actor, resource: Resource) => actor.trustId === resource.trustId;

const isCurrentWorker = (actor: Actor, p: { allocatedWorkerId: string | null }) =>
  hasRole(actor, 'peer_worker') && p.allocatedWorkerId === actor.id;

function canSeeParticipant(actor: Actor, p: ResourceOf<'participant'>): boolean {
  if (actor.kind === 'participant') return actor.id === p.participantId;
  if (!sameTrust(actor, p)) return false;
  if (hasRole(actor, 'coordinator')) return true;
  if (hasRole(actor, 'clinician') && actor.crisisTeamId === p.crisisTeamId) return true;
  if (hasRole(actor, 'peer_worker') && p.allocatedWorkerId === actor.id) return true;
  // Supervisors oversee the work of the trust's peer support workers (PRODUCT.md section 1:
  // supervision, who is overloaded or overdue, safety concerns), so they see the people those
  // workers support, but not referrals still waiting for a worker: allocating them, and so
  // reading their referral, is the coordinator's. Lists show supervisors who waits, by name.
  if (hasRole(actor, 'supervisor') && p.allocatedWorkerId !== null) return true;
  return false;
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  switch (action) {
    case 'participant.view':
      return resource.type === 'participant' && canSeeParticipant(actor, resource);
    case 'referral.create':
    case 'referral.list':
      if (actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      if (hasRole(actor, 'coordinator')) return resource.type === 'crisisTeam' || resource.type === 'trust';
      return (
        hasRole(actor, 'clinician') &&
        resource.type === 'crisisTeam' &&
        actor.crisisTeamId === resource.crisisTeamId
      );
    case 'participant.allocate':
      return resource.type === 'participant' && hasRole(actor, 'coordinator') && sameTrust(actor, resource);
    case 'caseload.view':
      if (resource.type !== 'caseload' || actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      if (!resource.peerWorker) return false;
      if (resource.workerId === actor.id && hasRole(actor, 'peer_worker')) return true;
      return hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor');
    case 'caseload.overview':
      return (
        resource.type === 'trust' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor'))
      );
    case 'team.manage':
    case 'plan.storage':
    case 'allocation.list_waiting':
      return resource.type === 'trust' && hasRole(actor, 'coordinator') && sameTrust(actor, resource);
    case 'staff.manage':
      return (
        (resource.type === 'trust' || resource.type === 'staff') &&
        hasRole(actor, 'coordinator') &&
        sameTrust(actor, resource)
      );
    case 'account.change_password':
      return (
        actor.kind === 'staff' &&
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id
      );
    case 'session.book':
    case 'session.record':
      return (
        resource.type === 'participant' && sameTrust(actor, resource) && isCurrentWorker(actor, resource)
      );
    case 'contact.record':
      return (
        resource.type === 'participant' && sameTrust(actor, resource) && isCurrentWorker(actor, resource)
      );
    case 'reminders.manage':
      if (resource.type !== 'participant') return false;
      if (actor.kind === 'participant') return actor.id === resource.participantId;
      return sameTrust(actor, resource) && isCurrentWorker(actor, resource);
    case 'programme.end':
    case 'ending.share':
      return (
        resource.type === 'participant' &&
        sameTrust(actor, resource) &&
        (isCurrentWorker(actor, resource) || hasRole(actor, 'coordinator'))
      );
    case 'ending.view': {
      if (resource.type !== 'ending') return false;
      const asParticipant: ResourceOf<'participant'> = { ...resource, type: 'participant' };
      if (actor.kind === 'participant') return actor.id === resource.participantId;
      if (!sameTrust(actor, resource)) return false;
      if (hasRole(actor, 'coordinator') || isCurrentWorker(actor, resource)) return true;
      if (hasRole(actor, 'supervisor') && canSeeParticipant(actor, asParticipant)) return true;
      // The care team reads the summary only once the participant agreed to share it with them.
      return (
        hasRole(actor, 'clinician') &&
        actor.crisisTeamId === resource.crisisTeamId &&
        resource.sharedWithCrisisTeam
      );
    }
    case 'equality.view_language':
      return resource.type === 'participant' && actor.kind === 'staff' && canSeeParticipant(actor, resource);
    case 'feedback.give':
      return (
        resource.type === 'ending' && actor.kind === 'participant' && actor.id === resource.participantId
      );
    case 'feedback.report':
      return (
        (resource.type === 'trust' || resource.type === 'crisisTeam') &&
        actor.kind === 'staff' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor'))
      );
    case 'feedback.read_comments':
      return resource.type === 'trust' && sameTrust(actor, resource) && hasRole(actor, 'coordinator');
    case 'session.request_change':
    case 'equality.update_own':
      return (
        resource.type === 'participant' && actor.kind === 'participant' && actor.id === resource.participantId
      );
    case 'reallocation.request':
      return (
        resource.type === 'caseload' &&
        resource.peerWorker &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor'))
      );
    case 'concern.raise':
    case 'consent.record':
      return (
        resource.type === 'participant' && sameTrust(actor, resource) && isCurrentWorker(actor, resource)
      );
    case 'concern.view':
    case 'concern.message':
    case 'concern.confirm_999':
    case 'concern.respond': {
      if (resource.type !== 'concern' || actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      const teamClinician = hasRole(actor, 'clinician') && actor.crisisTeamId === resource.crisisTeamId;
      if (action === 'concern.respond') return teamClinician;
      // Only peer support workers raise concerns: the raiser keeps sight of theirs.
      const raiser = resource.raisedBy === actor.id && hasRole(actor, 'peer_worker');
      if (action === 'concern.confirm_999') return raiser;
      if (action === 'concern.message') return teamClinician || raiser;
      return teamClinician || raiser || hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator');
    }
    case 'concern.inbox':
      return (
        resource.type === 'crisisTeam' &&
        sameTrust(actor, resource) &&
        hasRole(actor, 'clinician') &&
        actor.crisisTeamId === resource.crisisTeamId
      );
    case 'concern.oversee':
    case 'loneworking.oversee':
      return (
        resource.type === 'trust' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator'))
      );
    case 'loneworking.check_in':
    case 'concern.list_own':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id &&
        hasRole(actor, 'peer_worker')
      );
    case 'loneworking.acknowledge':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator'))
      );
    case 'plan.open':
      if (resource.type !== 'participant') return false;
      if (actor.kind === 'participant') return actor.id === resource.participantId;
      return (
        sameTrust(actor, resource) &&
        (isCurrentWorker(actor, resource) ||
          (hasRole(actor, 'clinician') && actor.crisisTeamId === resource.crisisTeamId))
      );
    case 'plan.view':
    case 'plan.write': {
      if (resource.type !== 'planSection') return false;
      if (actor.kind === 'participant') return actor.id === resource.participantId;
      if (!sameTrust(actor, resource)) return false;
      // The plan is the participant's: staff see a section only because the participant shared it.
      const worker = isCurrentWorker(actor, resource) && sharedWithWorker(resource.visibility);
      if (action === 'plan.write') return worker && !resource.programmeEnded;
      const careTeam =
        hasRole(actor, 'clinician') &&
        actor.crisisTeamId === resource.crisisTeamId &&
        resource.visibility === 'care_team';
      return worker || careTeam;
    }
    case 'plan.share':
      return (
        resource.type === 'participant' && actor.kind === 'participant' && actor.id === resource.participantId
      );
    case 'messages.view_undelivered':
      if (actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      if (resource.type === 'trust') return hasRole(actor, 'coordinator');
      return (
        resource.type === 'crisisTeam' &&
        hasRole(actor, 'clinician') &&
        actor.crisisTeamId === resource.crisisTeamId
      );
    case 'training.view':
      if (resource.type !== 'staff' || actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      if (resource.staffId === actor.id && hasRole(actor, 'peer_worker')) return true;
      return hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator');
    case 'training.record':
      // Never one's own: a supervisor who is also a worker is signed off by someone else.
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId !== actor.id &&
        (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator'))
      );
    case 'training.matrix':
      return (
        resource.type === 'trust' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator'))
      );
    case 'checks.record':
    case 'allocation.override':
    case 'supervision.assign':
    case 'peersupport.mark_experienced':
      // Nobody manages their own workforce record: their checks, exception or supervisor.
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId !== actor.id &&
        hasRole(actor, 'coordinator')
      );
    case 'wellbeing.ask':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id &&
        hasRole(actor, 'peer_worker')
      );
    case 'wellbeing.view':
    case 'wellbeing.acknowledge': {
      if (resource.type !== 'wellbeing' || actor.kind !== 'staff' || !sameTrust(actor, resource))
        return false;
      const supervises =
        hasRole(actor, 'supervisor') &&
        resource.supervisorIds.includes(actor.id) &&
        resource.workerId !== actor.id;
      if (action === 'wellbeing.acknowledge') return supervises;
      return supervises || (resource.workerId === actor.id && hasRole(actor, 'peer_worker'));
    }
    case 'wellbeing.inbox':
    case 'peersupport.oversee':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id &&
        hasRole(actor, 'supervisor')
      );
    case 'supervision.view_own':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id &&
        hasRole(actor, 'peer_worker')
      );
    case 'supervision.oversee':
    case 'supervision.record_group':
    case 'workforce.overview':
    case 'reports.view':
    case 'reports.export':
      return (
        resource.type === 'trust' &&
        sameTrust(actor, resource) &&
        (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator'))
      );
    case 'supervision.record_one_to_one':
      return (
        resource.type === 'supervisee' &&
        sameTrust(actor, resource) &&
        hasRole(actor, 'supervisor') &&
        resource.workerId !== actor.id &&
        resource.supervisorIds.includes(actor.id)
      );
    case 'supervision.read_one_to_one':
      if (resource.type !== 'oneToOne' || actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      return (
        (resource.heldBy === actor.id && hasRole(actor, 'supervisor')) ||
        (resource.workerId === actor.id && hasRole(actor, 'peer_worker'))
      );
    case 'peersupport.ask':
      return (
        resource.type === 'staff' &&
        sameTrust(actor, resource) &&
        resource.staffId === actor.id &&
        hasRole(actor, 'peer_worker')
      );
    case 'peersupport.view':
    case 'peersupport.take':
    case 'peersupport.message': {
      if (resource.type !== 'peerSupport' || actor.kind !== 'staff' || !sameTrust(actor, resource))
        return false;
      const asker = resource.requesterId === actor.id && hasRole(actor, 'peer_worker');
      const helper = resource.takenBy === actor.id && hasRole(actor, 'peer_worker');
      const canTake =
        hasRole(actor, 'peer_worker') &&
        resource.experiencedIds.includes(actor.id) &&
        resource.requesterId !== actor.id &&
        resource.takenBy === null &&
        !resource.closed;
      if (action === 'peersupport.take') return canTake;
      if (action === 'peersupport.message') return (asker || helper) && !resource.closed;
      const supervises =
        hasRole(actor, 'supervisor') &&
        resource.supervisorIds.includes(actor.id) &&
        resource.requesterId !== actor.id;
      return asker || helper || canTake || supervises;
    }
    case 'appointment.manage':
      return resource.type === 'trust' && sameTrust(actor, resource) && hasRole(actor, 'coordinator');
    case 'appointment.view':
    case 'appointment.score':
    case 'appointment.read_scores':
    case 'appointment.decide': {
      if (resource.type !== 'panel' || actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      // Panels are made of the programme's own staff: never the research roles.
      const programmeStaff = (['peer_worker', 'supervisor', 'clinician', 'coordinator'] as const).some(
        (role) => hasRole(actor, role),
      );
      const member = programmeStaff && resource.memberIds.includes(actor.id);
      if (action === 'appointment.view') return member || hasRole(actor, 'coordinator');
      if (action === 'appointment.score') return member;
      if (action === 'appointment.read_scores') return member && resource.submittedIds.includes(actor.id);
      return (
        member &&
        resource.chairId === actor.id &&
        resource.memberIds.every((id) => resource.submittedIds.includes(id))
      );
    }
    case 'wellbeing.counts':
      return resource.type === 'trust' && sameTrust(actor, resource) && hasRole(actor, 'coordinator');
    case 'trial.set_up':
      return resource.type === 'trust' && sameTrust(actor, resource) && hasRole(actor, 'trial_manager');
    case 'trial.view':
    case 'trial.screen':
    case 'trial.consent':
    case 'trial.randomise':
    case 'trial.read_arm':
    case 'trial.arrange_care':
    case 'trial.sae':
    case 'trial.query_answer':
    case 'trial.deviation':
    case 'trial.lock':
      // Screening and consent are research staff's work, delegated by the trial's chief
      // investigator (as a trials unit's delegation log has it): never the clinical team's, who
      // would otherwise decide who is offered the trial. Across every site of their own trial.
      return (
        resource.type === 'trialSite' &&
        actor.kind === 'staff' &&
        hasRole(actor, 'trial_manager') &&
        resource.siteTrustIds.includes(actor.trustId) &&
        resource.siteTrustIds.includes(resource.trustId)
      );
    case 'trial.episodes':
    case 'trial.outcomes':
      return (
        resource.type === 'trialSite' &&
        actor.kind === 'staff' &&
        (action === 'trial.outcomes'
          ? hasRole(actor, 'statistician')
          : hasRole(actor, 'outcome_assessor') || hasRole(actor, 'trial_manager')) &&
        resource.siteTrustIds.includes(actor.trustId) &&
        resource.siteTrustIds.includes(resource.trustId)
      );
    case 'trial.follow_up':
    case 'trial.follow_up_invite':
      return trialStaff(actor, resource, ['outcome_assessor']);
    case 'trial.record_unblinding':
      return trialStaff(actor, resource, ['outcome_assessor', 'analyst']);
    case 'trial.view_unblindings':
      return trialStaff(actor, resource, ['trial_manager']);
    case 'trial.query_raise':
    case 'trial.export':
      // Data queries come from whoever checks the data; exports go to the analysts. Across every
      // site of their own trial, as for the trial manager.
      return (
        resource.type === 'trialSite' &&
        actor.kind === 'staff' &&
        (action === 'trial.export'
          ? hasRole(actor, 'analyst')
          : (['trial_manager', 'outcome_assessor', 'analyst'] as const).some((role) =>
              hasRole(actor, role),
            )) &&
        resource.siteTrustIds.includes(actor.trustId) &&
        resource.siteTrustIds.includes(resource.trustId)
      );
    case 'outbox.view':
      if (actor.kind !== 'staff' || !sameTrust(actor, resource)) return false;
      if (resource.type === 'notification') return readsOutbox(actor, resource.template);
      return (
        resource.type === 'trust' &&
        (Object.keys(OUTBOX_READERS) as NotificationTemplate[]).some((template) =>
          readsOutbox(actor, template),
        )
      );
  }
}
