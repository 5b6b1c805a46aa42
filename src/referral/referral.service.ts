/** Referral at discharge: a crisis-team clinician or the coordinator brings a person into the programme. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { ForbiddenError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { CrisisTeamRow, TeamRepository } from '../organisation/team.repository.ts';
import type { ParticipantRepository, ReferralListItem } from '../participants/participant.repository.ts';
import { defaultReminderChannel } from '../reminders/reminder-schedule.ts';
import type { EqualityAnswers } from '../equality/equality-fields.ts';
import type { EqualityService } from '../equality/equality.service.ts';

export interface ReferralInput {
  submissionToken: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  nhsNumber: string | null;
  email: string | null;
  mobile: string | null;
  phone: string | null;
  address: string | null;
  postcode: string | null;
  contactMethods: ('sms' | 'email' | 'phone' | 'post')[];
  safeContactTimes: string | null;
  mayLeaveMessages: boolean;
  crisisTeamId: string;
  dischargedOn: string;
  dischargeDestination: 'cmht' | 'gp';
  /** Where the end-of-programme summary may go: their GP practice and care coordinator. */
  gpPracticeName: string | null;
  gpPracticeEmail: string | null;
  careCoordinatorName: string | null;
  careCoordinatorEmail: string | null;
  accessibilityNeeds: string | null;
  safetyInformation: string | null;
  /** The optional equality monitoring answers; absent, or every one blank, records none. */
  equality?: EqualityAnswers;
  /**
   * The referrer's answer when the mobile or email is another participant's: `different`
   * saves the referral with the contact shared (it then signs in neither of them).
   */
  sharedContact?: 'different';
}

/**
 * The mobile or email belongs to someone already in Greenleaf: nothing is saved until the
 * referrer says whether this is the same person. Carries which of the two matched, never who.
 */
export class SharedContactError extends Error {
  readonly matched: ('mobile' | 'email')[];
  constructor(matched: ('mobile' | 'email')[]) {
    super('This contact belongs to another participant');
    this.name = 'SharedContactError';
    this.matched = matched;
  }
}

type StaffContext = RequestContext & { actor: StaffActor };

function matchedFields(holders: { matched: ('mobile' | 'email')[] }[]): ('mobile' | 'email')[] {
  return (['mobile', 'email'] as const).filter((field) => holders.some((h) => h.matched.includes(field)));
}

export class ReferralService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly teams: TeamRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly equality: Pick<EqualityService, 'recordAtReferral'>;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    teams: TeamRepository,
    audit: AuditService,
    clock: Clock,
    equality: Pick<EqualityService, 'recordAtReferral'>,
  ) {
    this.db = db;
    this.participants = participants;
    this.teams = teams;
    this.audit = audit;
    this.clock = clock;
    this.equality = equality;
  }

  /** The crisis teams this person may refer into; none means they may not refer at all. */
  async teamsToReferInto(ctx: StaffContext): Promise<CrisisTeamRow[]> {
    const teams = await this.teams.listForTrust(this.db, ctx.actor.trustId);
    return teams.filter((team) =>
      can(ctx.actor, 'referral.create', { type: 'crisisTeam', trustId: team.trustId, crisisTeamId: team.id }),
    );
  }

  /**
   * Saves the referral once; a resubmitted form returns the first one's id. A mobile or email
   * that another participant already has is refused (SharedContactError) unless the referrer
   * has said this is a different person: one contact must never sign one person in as another.
   */
  async refer(
    ctx: StaffContext,
    input: ReferralInput,
  ): Promise<{ participantId: string; duplicate: boolean }> {
    const team = await this.teamToReferInto(ctx, input.crisisTeamId);
    const existing = await this.participants.idBySubmissionToken(this.db, input.submissionToken);
    if (existing) return { participantId: existing, duplicate: true };

    const participantId = randomUUID();
    let savedFirst: string | undefined;
    try {
      await this.db.transaction(async (tx) => {
        const holders = await this.lockedContactHolders(tx, input);
        // The same form sent twice at once: the contacts' lock held this copy back until the
        // first was saved, whose mobile and email are then no one else's but this person's.
        savedFirst = await this.participants.idBySubmissionToken(tx, input.submissionToken);
        if (savedFirst) return;
        if (holders.length > 0 && input.sharedContact !== 'different') {
          throw new SharedContactError(matchedFields(holders));
        }
        await this.participants.insert(tx, {
          id: participantId,
          trustId: team.trustId,
          crisisTeamId: team.id,
          givenName: input.givenName,
          familyName: input.familyName,
          preferredName: input.preferredName,
          dateOfBirth: input.dateOfBirth,
          nhsNumber: input.nhsNumber,
          email: input.email,
          mobile: input.mobile,
          phone: input.phone,
          address: input.address,
          postcode: input.postcode,
          contactMethods: input.contactMethods,
          safeContactTimes: input.safeContactTimes,
          mayLeaveMessages: input.mayLeaveMessages,
          dischargedOn: input.dischargedOn,
          dischargeDestination: input.dischargeDestination,
          gpPracticeName: input.gpPracticeName,
          gpPracticeEmail: input.gpPracticeEmail,
          careCoordinatorName: input.careCoordinatorName,
          careCoordinatorEmail: input.careCoordinatorEmail,
          accessibilityNeeds: input.accessibilityNeeds,
          safetyInformation: input.safetyInformation,
          reminderChannel: defaultReminderChannel(input),
          referredBy: ctx.actor.id,
          referredAt: this.clock.now(),
          submissionToken: input.submissionToken,
          version: 1,
        });
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'participant.referred',
          entityType: 'participant',
          entityId: participantId,
          detail: { crisisTeamId: team.id },
        });
        if (input.equality) {
          await this.equality.recordAtReferral(
            tx,
            ctx,
            { id: participantId, trustId: team.trustId },
            input.equality,
          );
        }
        if (holders.length > 0) {
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'participant.shared_contact_confirmed',
            entityType: 'participant',
            entityId: participantId,
            detail: { matched: matchedFields(holders), otherParticipantIds: holders.map((h) => h.id) },
          });
        }
      });
    } catch (error) {
      // Two copies of one form racing: the loser finds the winner's referral.
      if (isUniqueViolation(error, 'participants_submission_token_key')) {
        const winner = await this.participants.idBySubmissionToken(this.db, input.submissionToken);
        if (winner) return { participantId: winner, duplicate: true };
      }
      if (isUniqueViolation(error, 'participants_nhs_number_key')) {
        throw new ValidationError({ nhsNumber: 'Someone with this NHS number has already been referred' });
      }
      throw error;
    }
    if (savedFirst) return { participantId: savedFirst, duplicate: true };
    return { participantId, duplicate: false };
  }

  /**
   * The referrer says the person whose contact matched is the one they are referring: no second
   * record is made, and the report is audited against the existing record(s) so the coordinator
   * can follow it up. Nothing is said about who they are.
   */
  async reportSamePerson(ctx: StaffContext, input: ReferralInput): Promise<void> {
    await this.teamToReferInto(ctx, input.crisisTeamId);
    await this.db.transaction(async (tx) => {
      const holders = await this.participants.contactHolders(tx, input);
      for (const holder of holders) {
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'referral.same_person_reported',
          entityType: 'participant',
          entityId: holder.id,
          detail: { matched: holder.matched, crisisTeamId: input.crisisTeamId },
        });
      }
    });
  }

  private async teamToReferInto(ctx: StaffContext, crisisTeamId: string): Promise<CrisisTeamRow> {
    const team = await this.teams.findById(this.db, crisisTeamId);
    if (
      !team ||
      !can(ctx.actor, 'referral.create', { type: 'crisisTeam', trustId: team.trustId, crisisTeamId: team.id })
    ) {
      throw new ValidationError({ crisisTeamId: 'Select the crisis team that is discharging them' });
    }
    return team;
  }

  /** Who already has this mobile or email, with those contacts locked until the transaction ends. */
  private async lockedContactHolders(tx: Db, input: ReferralInput) {
    const contacts = [input.mobile, input.email].filter((c): c is string => c !== null);
    await this.participants.lockContacts(tx, contacts);
    return this.participants.contactHolders(tx, input);
  }

  /** Referrals this person may see: their own team's, or the whole trust's for a coordinator. */
  async list(ctx: StaffContext): Promise<ReferralListItem[]> {
    const trustWide = can(ctx.actor, 'referral.list', { type: 'trust', trustId: ctx.actor.trustId });
    const teamId = ctx.actor.crisisTeamId;
    const teamScope =
      teamId !== null &&
      can(ctx.actor, 'referral.list', {
        type: 'crisisTeam',
        trustId: ctx.actor.trustId,
        crisisTeamId: teamId,
      });
    if (!trustWide && !teamScope) throw new ForbiddenError();
    const items = await this.participants.listReferrals(this.db, {
      trustId: ctx.actor.trustId,
      ...(trustWide || teamId === null ? {} : { crisisTeamId: teamId }),
    });
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'referrals.listed',
      entityType: trustWide ? 'trust' : 'crisis_team',
      entityId: trustWide ? ctx.actor.trustId : teamId,
      detail: { count: items.length },
    });
    return items;
  }
}
