/**
 * Every role against every action on own, other and unallocated records, and on another
 * trust's. The expected table is written out by hand: a change to the policy that lets
 * anyone see more fails here until this table is changed on purpose.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, can, type Action, type Resource } from './policy.ts';
import { STAFF_ROLES, type Actor, type StaffRole } from './actor.ts';
import type { NotificationTemplate } from '../config.ts';

const TRUST = 'trust-a';
const OTHER_TRUST = 'trust-b';
const TEAM = 'team-1';
const OTHER_TEAM = 'team-2';

function staff(role: StaffRole, id = `me-${role}`): Actor {
  return { kind: 'staff', id, trustId: TRUST, crisisTeamId: TEAM, roles: [role], fullName: role };
}

const participantActor: Actor = {
  kind: 'participant',
  id: 'p-own',
  trustId: TRUST,
  crisisTeamId: TEAM,
  displayName: 'Sam',
};

/** Records as each actor sees them: "own" is allocated to the actor when the actor is a worker. */
function records(actorId: string): Record<string, Resource> {
  return {
    ownParticipant: {
      type: 'participant',
      participantId: 'p-own',
      trustId: TRUST,
      crisisTeamId: TEAM,
      allocatedWorkerId: actorId,
    },
    otherWorkersParticipant: {
      type: 'participant',
      participantId: 'p-2',
      trustId: TRUST,
      crisisTeamId: OTHER_TEAM,
      allocatedWorkerId: 'someone-else',
    },
    sameTeamOtherWorker: {
      type: 'participant',
      participantId: 'p-3',
      trustId: TRUST,
      crisisTeamId: TEAM,
      allocatedWorkerId: 'someone-else',
    },
    unallocatedParticipant: {
      type: 'participant',
      participantId: 'p-4',
      trustId: TRUST,
      crisisTeamId: TEAM,
      allocatedWorkerId: null,
    },
    otherTrustParticipant: {
      type: 'participant',
      participantId: 'p-5',
      trustId: OTHER_TRUST,
      crisisTeamId: 'x',
      allocatedWorkerId: actorId,
    },
    ownTeam: { type: 'crisisTeam', trustId: TRUST, crisisTeamId: TEAM },
    otherTeam: { type: 'crisisTeam', trustId: TRUST, crisisTeamId: OTHER_TEAM },
    otherTrustTeam: { type: 'crisisTeam', trustId: OTHER_TRUST, crisisTeamId: 'x' },
    trust: { type: 'trust', trustId: TRUST },
    otherTrust: { type: 'trust', trustId: OTHER_TRUST },
    ownEnding: {
      type: 'ending',
      participantId: 'p-own',
      trustId: TRUST,
      crisisTeamId: TEAM,
      allocatedWorkerId: actorId,
      sharedWithCrisisTeam: false,
    },
    otherWorkersEndingShared: {
      type: 'ending',
      participantId: 'p-3',
      trustId: TRUST,
      crisisTeamId: TEAM,
      allocatedWorkerId: 'someone-else',
      sharedWithCrisisTeam: true,
    },
    otherTeamEndingShared: {
      type: 'ending',
      participantId: 'p-2',
      trustId: TRUST,
      crisisTeamId: OTHER_TEAM,
      allocatedWorkerId: 'someone-else',
      sharedWithCrisisTeam: true,
    },
    otherTrustEnding: {
      type: 'ending',
      participantId: 'p-5',
      trustId: OTHER_TRUST,
      crisisTeamId: 'x',
      allocatedWorkerId: actorId,
      sharedWithCrisisTeam: true,
    },
    ownRaisedConcern: {
      type: 'concern',
      trustId: TRUST,
      crisisTeamId: OTHER_TEAM,
      participantId: 'p-own',
      raisedBy: actorId,
    },
    ownTeamConcern: {
      type: 'concern',
      trustId: TRUST,
      crisisTeamId: TEAM,
      participantId: 'p-3',
      raisedBy: 'someone-else',
    },
    otherTeamConcern: {
      type: 'concern',
      trustId: TRUST,
      crisisTeamId: OTHER_TEAM,
      participantId: 'p-2',
      raisedBy: 'someone-else',
    },
    otherTrustConcern: {
      type: 'concern',
      trustId: OTHER_TRUST,
      crisisTeamId: TEAM,
      participantId: 'p-5',
      raisedBy: actorId,
    },
    ...planSections(actorId),
    ...outboxMessages(),
    self: { type: 'staff', trustId: TRUST, staffId: actorId },
    // A caseload is a peer support worker's; "own" stands for the actor's, as if they held that role.
    ownCaseload: { type: 'caseload', trustId: TRUST, workerId: actorId, peerWorker: true },
    colleagueCaseload: { type: 'caseload', trustId: TRUST, workerId: 'colleague', peerWorker: true },
    colleagueWithoutCaseload: {
      type: 'caseload',
      trustId: TRUST,
      workerId: 'colleague-2',
      peerWorker: false,
    },
    otherTrustCaseload: { type: 'caseload', trustId: OTHER_TRUST, workerId: 'stranger', peerWorker: true },
    colleague: { type: 'staff', trustId: TRUST, staffId: 'colleague' },
    ownWellbeing: {
      type: 'wellbeing',
      trustId: TRUST,
      workerId: actorId,
      supervisorIds: ['their-supervisor'],
    },
    superviseeWellbeing: {
      type: 'wellbeing',
      trustId: TRUST,
      workerId: 'colleague',
      supervisorIds: [actorId],
    },
    otherWellbeing: {
      type: 'wellbeing',
      trustId: TRUST,
      workerId: 'colleague',
      supervisorIds: ['someone-else'],
    },
    ownSupervisee: { type: 'supervisee', trustId: TRUST, workerId: 'colleague', supervisorIds: [actorId] },
    otherSupervisee: {
      type: 'supervisee',
      trustId: TRUST,
      workerId: 'colleague',
      supervisorIds: ['someone-else'],
    },
    otherTrustSupervisee: {
      type: 'supervisee',
      trustId: OTHER_TRUST,
      workerId: 'stranger',
      supervisorIds: [actorId],
    },
    ownOneToOne: { type: 'oneToOne', trustId: TRUST, workerId: actorId, heldBy: 'their-supervisor' },
    heldOneToOne: { type: 'oneToOne', trustId: TRUST, workerId: 'colleague', heldBy: actorId },
    othersOneToOne: { type: 'oneToOne', trustId: TRUST, workerId: 'colleague', heldBy: 'someone-else' },
    ownPeerRequest: {
      type: 'peerSupport',
      trustId: TRUST,
      requesterId: actorId,
      takenBy: null,
      closed: false,
      experiencedIds: ['experienced'],
      supervisorIds: ['their-supervisor'],
    },
    untakenPeerRequest: {
      type: 'peerSupport',
      trustId: TRUST,
      requesterId: 'colleague',
      takenBy: null,
      closed: false,
      experiencedIds: [actorId],
      supervisorIds: ['someone-else'],
    },
    takenPeerRequest: {
      type: 'peerSupport',
      trustId: TRUST,
      requesterId: 'colleague',
      takenBy: actorId,
      closed: false,
      experiencedIds: [actorId],
      supervisorIds: ['someone-else'],
    },
    superviseesPeerRequest: {
      type: 'peerSupport',
      trustId: TRUST,
      requesterId: 'colleague',
      takenBy: 'experienced',
      closed: false,
      experiencedIds: ['experienced'],
      supervisorIds: [actorId],
    },
    othersPeerRequest: {
      type: 'peerSupport',
      trustId: TRUST,
      requesterId: 'colleague',
      takenBy: 'experienced',
      closed: false,
      experiencedIds: [actorId, 'experienced'],
      supervisorIds: ['someone-else'],
    },
    panelIChair: {
      type: 'panel',
      trustId: TRUST,
      memberIds: [actorId, 'colleague'],
      chairId: actorId,
      submittedIds: [actorId, 'colleague'],
    },
    panelIScoredOn: {
      type: 'panel',
      trustId: TRUST,
      memberIds: [actorId, 'colleague'],
      chairId: 'colleague',
      submittedIds: [actorId],
    },
    panelNotYetScored: {
      type: 'panel',
      trustId: TRUST,
      memberIds: [actorId, 'colleague'],
      chairId: 'colleague',
      submittedIds: ['colleague'],
    },
    othersPanel: {
      type: 'panel',
      trustId: TRUST,
      memberIds: ['colleague'],
      chairId: 'colleague',
      submittedIds: ['colleague'],
    },
    otherTrustWellbeing: {
      type: 'wellbeing',
      trustId: OTHER_TRUST,
      workerId: 'stranger',
      supervisorIds: [actorId],
    },
    otherTrustStaff: { type: 'staff', trustId: OTHER_TRUST, staffId: 'stranger' },
    // The actor's trust and another both take part in the trial.
    ownTrialSite: { type: 'trialSite', trustId: TRUST, siteTrustIds: [TRUST, OTHER_TRUST] },
    partnerTrialSite: { type: 'trialSite', trustId: OTHER_TRUST, siteTrustIds: [TRUST, OTHER_TRUST] },
    // Another study's site, the actor's trust not among them; and a trust that is not a site.
    otherStudySite: { type: 'trialSite', trustId: OTHER_TRUST, siteTrustIds: [OTHER_TRUST] },
    notASite: { type: 'trialSite', trustId: OTHER_TRUST, siteTrustIds: [TRUST] },
  };
}

/** One message of each kind in the demo outbox, and one in another trust's. */
function outboxMessages(): Record<string, Resource> {
  const message = (template: NotificationTemplate, trustId = TRUST) => ({
    type: 'notification' as const,
    trustId,
    template,
  });
  return {
    signInCodeMessage: message('sign_in_code'),
    sessionBookedMessage: message('session_booked'),
    sessionReminderMessage: message('session_reminder'),
    rearrangeRequestMessage: message('rearrange_request'),
    endingSummaryMessage: message('ending_summary'),
    concernEscalationMessage: message('concern_escalation'),
    concern999UnconfirmedMessage: message('concern_999_unconfirmed'),
    concernReplyMessage: message('concern_reply'),
    loneWorkingAlertMessage: message('lone_working_alert'),
    staffSetUpLinkMessage: message('staff_set_up_link'),
    otherTrustMessage: message('sign_in_code', OTHER_TRUST),
  };
}

/** Sections of recovery plans, shared (or not) by their participant. */
function planSections(actorId: string): Record<string, Resource> {
  const own = {
    type: 'planSection' as const,
    participantId: 'p-own',
    trustId: TRUST,
    crisisTeamId: TEAM,
    allocatedWorkerId: actorId,
    programmeEnded: false,
  };
  return {
    ownPlanPrivate: { ...own, visibility: 'private' },
    ownPlanWorker: { ...own, visibility: 'worker' },
    ownPlanCareTeam: { ...own, visibility: 'care_team' },
    ownPlanWorkerEnded: { ...own, visibility: 'worker', programmeEnded: true },
    sameTeamPlanCareTeam: {
      ...own,
      participantId: 'p-3',
      allocatedWorkerId: 'someone-else',
      visibility: 'care_team',
    },
    otherTeamPlanCareTeam: {
      ...own,
      participantId: 'p-2',
      crisisTeamId: OTHER_TEAM,
      allocatedWorkerId: 'someone-else',
      visibility: 'care_team',
    },
    otherTrustPlanCareTeam: { ...own, participantId: 'p-5', trustId: OTHER_TRUST, visibility: 'care_team' },
  };
}

type Allowed = Partial<Record<Action, string[]>>;

// What each role may do, and nothing else.
const EXPECTED: Record<StaffRole | 'participant', Allowed> = {
  peer_worker: {
    'participant.view': ['ownParticipant'],
    // To run sessions: their first language and whether they need an interpreter, nothing else.
    'equality.view_language': ['ownParticipant'],
    'session.book': ['ownParticipant'],
    'session.record': ['ownParticipant'],
    'contact.record': ['ownParticipant'],
    'reminders.manage': ['ownParticipant'],
    'programme.end': ['ownParticipant'],
    'ending.share': ['ownParticipant'],
    'ending.view': ['ownEnding'],
    'concern.raise': ['ownParticipant'],
    'concern.view': ['ownRaisedConcern'],
    'concern.message': ['ownRaisedConcern'],
    'concern.confirm_999': ['ownRaisedConcern'],
    'concern.list_own': ['self'],
    'consent.record': ['ownParticipant'],
    'plan.open': ['ownParticipant'],
    // Only what the participant shared with them; writing on their behalf only while the programme runs.
    'plan.view': ['ownPlanWorker', 'ownPlanCareTeam', 'ownPlanWorkerEnded'],
    'plan.write': ['ownPlanWorker', 'ownPlanCareTeam'],
    // On a panel: score; read the others' scores once their own are in; the chair decides.
    'appointment.view': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.score': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.read_scores': ['panelIChair', 'panelIScoredOn'],
    'appointment.decide': ['panelIChair'],
    'loneworking.check_in': ['self'],
    'caseload.view': ['ownCaseload'],
    // Their own training record only; recording it is their supervisor's or the coordinator's.
    'training.view': ['self'],
    // Their own requests for support; a colleague's never, even one sent to someone they know.
    'wellbeing.ask': ['self'],
    'wellbeing.view': ['ownWellbeing'],
    // Their own requests; as an experienced worker, those nobody took yet and those they took.
    'peersupport.ask': ['self'],
    'peersupport.view': ['ownPeerRequest', 'untakenPeerRequest', 'takenPeerRequest'],
    'peersupport.take': ['untakenPeerRequest'],
    'peersupport.message': ['ownPeerRequest', 'takenPeerRequest'],
    // Their own supervision; their 1:1 notes, never a colleague's.
    'supervision.view_own': ['self'],
    'supervision.read_one_to_one': ['ownOneToOne'],
    // The demo outbox: what participants are sent about sessions, and email to workers.
    'outbox.view': [
      'trust',
      'sessionBookedMessage',
      'sessionReminderMessage',
      'rearrangeRequestMessage',
      'concernReplyMessage',
    ],
    // Only their own password, never a colleague's.
    'account.change_password': ['self'],
  },
  supervisor: {
    'participant.view': ['ownParticipant', 'otherWorkersParticipant', 'sameTeamOtherWorker'],
    'equality.view_language': ['ownParticipant', 'otherWorkersParticipant', 'sameTeamOtherWorker'],
    'ending.view': ['ownEnding', 'otherWorkersEndingShared', 'otherTeamEndingShared'],
    // Participants' feedback in aggregate, any team of the trust; never the comments.
    'feedback.report': ['trust', 'ownTeam', 'otherTeam'],
    'caseload.view': ['ownCaseload', 'colleagueCaseload'],
    'caseload.overview': ['trust'],
    'reallocation.request': ['ownCaseload', 'colleagueCaseload'],
    'concern.view': ['ownRaisedConcern', 'ownTeamConcern', 'otherTeamConcern'],
    'concern.oversee': ['trust'],
    'loneworking.acknowledge': ['self', 'colleague'],
    'loneworking.oversee': ['trust'],
    'training.view': ['self', 'colleague'],
    'training.record': ['colleague'],
    'training.matrix': ['trust'],
    // Only requests sent to them.
    'wellbeing.view': ['superviseeWellbeing'],
    'wellbeing.acknowledge': ['superviseeWellbeing'],
    // On a panel: score; read the others' scores once their own are in; the chair decides.
    'appointment.view': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.score': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.read_scores': ['panelIChair', 'panelIScoredOn'],
    'appointment.decide': ['panelIChair'],
    'wellbeing.inbox': ['self'],
    'peersupport.oversee': ['self'],
    // Their supervisees' requests, read only.
    'peersupport.view': ['superviseesPeerRequest'],
    'supervision.oversee': ['trust'],
    'supervision.record_group': ['trust'],
    'workforce.overview': ['trust'],
    'reports.view': ['trust'],
    'reports.export': ['trust'],
    // 1:1s with the workers they supervise now; the notes of those they held.
    'supervision.record_one_to_one': ['ownSupervisee'],
    'supervision.read_one_to_one': ['heldOneToOne'],
    // Sign-in codes too: in the demo, supervisors stand in for the participant's phone.
    'outbox.view': [
      'trust',
      'signInCodeMessage',
      'sessionBookedMessage',
      'sessionReminderMessage',
      'rearrangeRequestMessage',
      'concernEscalationMessage',
      'concern999UnconfirmedMessage',
      'concernReplyMessage',
      'loneWorkingAlertMessage',
    ],
    'account.change_password': ['self'],
  },
  clinician: {
    'participant.view': ['ownParticipant', 'sameTeamOtherWorker', 'unallocatedParticipant'],
    'equality.view_language': ['ownParticipant', 'sameTeamOtherWorker', 'unallocatedParticipant'],
    // Only summaries the participant agreed to share with the clinician's own team.
    'ending.view': ['otherWorkersEndingShared'],
    'referral.create': ['ownTeam'],
    'referral.list': ['ownTeam'],
    // The team's duty inbox: their own team's concerns only.
    'concern.view': ['ownTeamConcern'],
    'concern.message': ['ownTeamConcern'],
    'concern.respond': ['ownTeamConcern'],
    'concern.inbox': ['ownTeam'],
    // Their own team's undelivered safety messages, at the top of the duty inbox.
    'messages.view_undelivered': ['ownTeam'],
    // On a panel: score; read the others' scores once their own are in; the chair decides.
    'appointment.view': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.score': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.read_scores': ['panelIChair', 'panelIScoredOn'],
    'appointment.decide': ['panelIChair'],
    'plan.open': ['ownParticipant', 'sameTeamOtherWorker', 'unallocatedParticipant'],
    // Only sections the participant shared with their care team, in the clinician's own team.
    'plan.view': ['ownPlanCareTeam', 'sameTeamPlanCareTeam'],
    // The emails a crisis team receives: summaries shared with it, escalated concerns.
    'outbox.view': [
      'trust',
      'endingSummaryMessage',
      'concernEscalationMessage',
      'concern999UnconfirmedMessage',
    ],
    'account.change_password': ['self'],
  },
  coordinator: {
    'participant.view': [
      'ownParticipant',
      'otherWorkersParticipant',
      'sameTeamOtherWorker',
      'unallocatedParticipant',
    ],
    'equality.view_language': [
      'ownParticipant',
      'otherWorkersParticipant',
      'sameTeamOtherWorker',
      'unallocatedParticipant',
    ],
    'participant.allocate': [
      'ownParticipant',
      'otherWorkersParticipant',
      'sameTeamOtherWorker',
      'unallocatedParticipant',
    ],
    'referral.create': ['ownTeam', 'otherTeam', 'trust'],
    'referral.list': ['ownTeam', 'otherTeam', 'trust'],
    'caseload.view': ['ownCaseload', 'colleagueCaseload'],
    'caseload.overview': ['trust'],
    // Who waits for a worker, to allocate them: supervisors see the names on the caseloads page only.
    'allocation.list_waiting': ['trust'],
    'team.manage': ['trust'],
    'plan.storage': ['trust'],
    'messages.view_undelivered': ['trust'],
    'staff.manage': ['trust', 'self', 'colleague'],
    'programme.end': [
      'ownParticipant',
      'otherWorkersParticipant',
      'sameTeamOtherWorker',
      'unallocatedParticipant',
    ],
    'ending.share': [
      'ownParticipant',
      'otherWorkersParticipant',
      'sameTeamOtherWorker',
      'unallocatedParticipant',
    ],
    'ending.view': ['ownEnding', 'otherWorkersEndingShared', 'otherTeamEndingShared'],
    // Participants' feedback in aggregate for the whole trust or a team, and the comments.
    'feedback.report': ['trust', 'ownTeam', 'otherTeam'],
    'feedback.read_comments': ['trust'],
    'reallocation.request': ['ownCaseload', 'colleagueCaseload'],
    'concern.view': ['ownRaisedConcern', 'ownTeamConcern', 'otherTeamConcern'],
    'concern.oversee': ['trust'],
    'loneworking.acknowledge': ['self', 'colleague'],
    'loneworking.oversee': ['trust'],
    'training.view': ['self', 'colleague'],
    'training.record': ['colleague'],
    'training.matrix': ['trust'],
    // Appointing is the coordinator's: the checks, and allowing an exception with a reason.
    'checks.record': ['colleague'],
    'allocation.override': ['colleague'],
    'supervision.assign': ['colleague'],
    'peersupport.mark_experienced': ['colleague'],
    'appointment.manage': ['trust'],
    'appointment.view': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored', 'othersPanel'],
    'appointment.score': ['panelIChair', 'panelIScoredOn', 'panelNotYetScored'],
    'appointment.read_scores': ['panelIChair', 'panelIScoredOn'],
    'appointment.decide': ['panelIChair'],
    // How many asked for support, per team: never who, never what.
    'wellbeing.counts': ['trust'],
    // That supervision happened and who is overdue; never what was said at a 1:1.
    'supervision.oversee': ['trust'],
    'supervision.record_group': ['trust'],
    'workforce.overview': ['trust'],
    'reports.view': ['trust'],
    'reports.export': ['trust'],
    'outbox.view': [
      'trust',
      'signInCodeMessage',
      'sessionBookedMessage',
      'sessionReminderMessage',
      'rearrangeRequestMessage',
      'endingSummaryMessage',
      'concernEscalationMessage',
      'concern999UnconfirmedMessage',
      'concernReplyMessage',
      'loneWorkingAlertMessage',
      'staffSetUpLinkMessage',
    ],
    'account.change_password': ['self'],
  },
  // Research roles see nothing identifiable and sit on no panel. The trial manager screens and
  // takes consent at every site of their own trial, and nowhere else.
  trial_manager: {
    // Before there is a trial: sets it up from their own trust.
    'trial.set_up': ['trust'],
    'trial.view': ['ownTrialSite', 'partnerTrialSite'],
    'trial.screen': ['ownTrialSite', 'partnerTrialSite'],
    'trial.consent': ['ownTrialSite', 'partnerTrialSite'],
    // The trial manager randomises and so knows the arm; assessors and analysts never do.
    'trial.randomise': ['ownTrialSite', 'partnerTrialSite'],
    'trial.read_arm': ['ownTrialSite', 'partnerTrialSite'],
    'trial.arrange_care': ['ownTrialSite', 'partnerTrialSite'],
    'trial.sae': ['ownTrialSite', 'partnerTrialSite'],
    'trial.episodes': ['ownTrialSite', 'partnerTrialSite'],
    // Knowing arms is not enough to see outcomes by arm: that is the statistician's alone.
    // Knows arms, so never enters outcomes or guesses; sees who was unblinded by accident.
    'trial.view_unblindings': ['ownTrialSite', 'partnerTrialSite'],
    // Data quality: answers queries, records deviations, locks the database once.
    'trial.query_raise': ['ownTrialSite', 'partnerTrialSite'],
    'trial.query_answer': ['ownTrialSite', 'partnerTrialSite'],
    'trial.deviation': ['ownTrialSite', 'partnerTrialSite'],
    'trial.lock': ['ownTrialSite', 'partnerTrialSite'],
    'account.change_password': ['self'],
  },
  // Blind to the arm: follow-ups and acute-care episodes at every site of their own trial, an
  // accidental unblinding, and data queries.
  outcome_assessor: {
    'trial.follow_up': ['ownTrialSite', 'partnerTrialSite'],
    'trial.follow_up_invite': ['ownTrialSite', 'partnerTrialSite'],
    'trial.record_unblinding': ['ownTrialSite', 'partnerTrialSite'],
    'trial.episodes': ['ownTrialSite', 'partnerTrialSite'],
    'trial.query_raise': ['ownTrialSite', 'partnerTrialSite'],
    'account.change_password': ['self'],
  },
  // Blind to the arm too: data queries, the pseudonymised exports, an accidental unblinding.
  analyst: {
    'trial.record_unblinding': ['ownTrialSite', 'partnerTrialSite'],
    'trial.query_raise': ['ownTrialSite', 'partnerTrialSite'],
    'trial.export': ['ownTrialSite', 'partnerTrialSite'],
    'account.change_password': ['self'],
  },
  // The unblinded statistician: outcomes by arm, and nothing else of the trial.
  statistician: {
    'trial.outcomes': ['ownTrialSite', 'partnerTrialSite'],
    'account.change_password': ['self'],
  },
  participant: {
    'participant.view': ['ownParticipant'],
    'reminders.manage': ['ownParticipant'],
    'session.request_change': ['ownParticipant'],
    // Their own answers, all of them; a member of staff never changes them after referral.
    'equality.update_own': ['ownParticipant'],
    'ending.view': ['ownEnding'],
    // Their own feedback, once their programme has ended (an ending exists).
    'feedback.give': ['ownEnding'],
    'plan.open': ['ownParticipant'],
    'plan.view': ['ownPlanPrivate', 'ownPlanWorker', 'ownPlanCareTeam', 'ownPlanWorkerEnded'],
    'plan.write': ['ownPlanPrivate', 'ownPlanWorker', 'ownPlanCareTeam', 'ownPlanWorkerEnded'],
    'plan.share': ['ownParticipant'],
  },
};

describe('access policy', () => {
  const cases = [
    ...STAFF_ROLES.map((role) => ({ who: role, actor: staff(role) })),
    { who: 'participant' as const, actor: participantActor },
  ];

  for (const { who, actor } of cases) {
    for (const action of ACTIONS) {
      const resources = records(actor.id);
      const allowed = new Set(EXPECTED[who][action] ?? []);
      it(`${who} may ${action} exactly ${allowed.size ? [...allowed].join(', ') : 'nothing'}`, () => {
        const actual = Object.entries(resources)
          .filter(([, resource]) => can(actor, action, resource))
          .map(([name]) => name)
          .sort();
        expect(actual).toEqual([...allowed].sort());
      });
    }
  }

  // The matrix's columns are the policy's own list, so a new action is checked for every role
  // from the moment it is declared, and one declared without a row here fails.
  it('every action the policy declares has a row in the expected table', () => {
    const withRows = new Set(Object.values(EXPECTED).flatMap((allowed) => Object.keys(allowed)));
    expect(ACTIONS.filter((action) => !withRows.has(action))).toEqual([]);
  });

  it('a person with two roles gets the union of both', () => {
    const both: Actor = {
      kind: 'staff',
      id: 'dual',
      trustId: TRUST,
      crisisTeamId: TEAM,
      roles: ['peer_worker', 'supervisor'],
      fullName: 'Dual',
    };
    const r = records('dual');
    expect(can(both, 'participant.view', r.ownParticipant!)).toBe(true);
    expect(can(both, 'caseload.overview', r.trust!)).toBe(true);
    expect(can(both, 'participant.view', r.unallocatedParticipant!)).toBe(false);
    expect(can(both, 'session.book', r.ownParticipant!)).toBe(true);
    expect(can(both, 'session.record', r.otherWorkersParticipant!)).toBe(false);
  });
});
