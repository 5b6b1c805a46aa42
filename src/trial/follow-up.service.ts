/**
 * Trial follow-ups (PRODUCT.md section 7), the outcome assessor's work, blind to the arm: the
 * due and overdue lists (every randomised person by study id, each time point's window and where
 * it stands), entering a time point's questionnaires with the assessor's guess of the arm, or
 * recording it as not done with a reason, and inviting the participant to complete it online.
 *
 * Someone withdrawn from follow-up or from any use of their data is never due, overdue or
 * invited (hazard H33). An assessor who recorded they learned someone's arm does none of that
 * person's follow-ups. Nothing here reads the arm. Every change is audited in its transaction;
 * refused (409) once the trial is locked.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { pageOf, type Page } from '../platform/paging.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { site, type TrialService } from './trial.service.ts';
import type { TrialRow } from './trial.repository.ts';
import {
  FOLLOW_UP_STATES,
  followUpState,
  mayBeChased,
  windowOf,
  type FollowUpSchedule,
  type FollowUpState,
  type Window,
} from './follow-up-schedule.ts';
import { questionnaireResponse, scoreAnswers, type Answers } from './instruments.ts';
import type { AssessorFollowUpInput, NotDoneReason, QuestionnaireInput } from './follow-up.form.ts';
import {
  FOLLOW_UP_TOKEN_KEY,
  INVITATION_TOKEN_KEY,
  type FollowUpPerson,
  type FollowUpRepository,
  type FollowUpRow,
  type InvitationRow,
  type ResponseRow,
} from './follow-up.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };
type TimePointOf = FollowUpSchedule['timePoints'][number];

/** Rows a page of the follow-up list shows. */
export const FOLLOW_UPS_PAGE_SIZE = 50;
/** How long an invitation's link works. */
export const INVITATION_DAYS = 14;

export interface FollowUpListRow {
  randomisationId: string;
  studyId: string;
  timePoint: TimePointOf;
  window: Window;
  state: FollowUpState;
  notDoneReason: NotDoneReason | null;
  /** The actor recorded they know this person's arm: another assessor does their follow-ups. */
  unblindedToYou: boolean;
}

export interface FollowUpEntry {
  trial: TrialRow;
  person: FollowUpPerson;
  timePoint: TimePointOf;
  window: Window;
  state: FollowUpState;
  followUp: FollowUpRow | undefined;
  /** The latest invitation, if one was sent. */
  invitation: InvitationRow | undefined;
  /** Whether an invitation may be sent now, and if not, why (in words for the page). */
  mayInvite: boolean;
  noInviteReason: string | null;
  now: Date;
}

export type InvitationView =
  { status: 'open'; timePoint: TimePointOf; expiresAt: Date } | { status: 'used' | 'closed' };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const state = (
  timePoint: TimePointOf,
  person: FollowUpPerson,
  recorded: FollowUpRow | undefined,
  today: string,
): { window: Window; state: FollowUpState } => {
  const window = windowOf(timePoint, person.randomisedAt);
  return {
    window,
    state: followUpState({
      window,
      today,
      recorded: recorded?.outcome ?? null,
      withdrawnFromFollowUp: person.withdrawnFromFollowUp,
    }),
  };
};

export class FollowUpService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly followUps: FollowUpRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly schedule: FollowUpSchedule;
  private readonly publicUrl: string | undefined;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    followUps: FollowUpRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    schedule: FollowUpSchedule,
    publicUrl: string | undefined,
  ) {
    this.db = db;
    this.trial = trial;
    this.followUps = followUps;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.schedule = schedule;
    this.publicUrl = publicUrl;
  }

  timePoint(key: string): TimePointOf {
    const found = this.schedule.timePoints.find((t) => t.key === key);
    if (!found) throw new NotFoundError('time point');
    return found;
  }

  /**
   * Every randomised person's time points at the actor's sites: overdue, then due (the window
   * closing soonest first), then upcoming, done, not done and withdrawn; never by arm.
   */
  async list(ctx: StaffContext, wanted: number): Promise<Page<FollowUpListRow>> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.follow_up');
    const people = (await this.followUps.everyone(this.db, trial.id)).filter((p) =>
      can(ctx.actor, 'trial.follow_up', site(p.trustId, siteTrustIds)),
    );
    const recorded = new Map(
      (await this.followUps.followUps(this.db, trial.id)).map((f) => [
        `${f.randomisationId} ${f.timePoint}`,
        f,
      ]),
    );
    const unblinded = await this.followUps.unblindedTo(this.db, trial.id, ctx.actor.id);
    const today = ukToday(this.clock.now());
    const rows = people.flatMap((person) =>
      this.schedule.timePoints.map((timePoint): FollowUpListRow => {
        const followUp = recorded.get(`${person.randomisationId} ${timePoint.key}`);
        return {
          randomisationId: person.randomisationId,
          studyId: person.studyId,
          timePoint,
          ...state(timePoint, person, followUp, today),
          notDoneReason: followUp?.notDoneReason ?? null,
          unblindedToYou: unblinded.has(person.randomisationId),
        };
      }),
    );
    rows.sort(
      (a, b) =>
        FOLLOW_UP_STATES.indexOf(a.state) - FOLLOW_UP_STATES.indexOf(b.state) ||
        a.window.closes.localeCompare(b.window.closes) ||
        a.studyId.localeCompare(b.studyId),
    );
    return pageOf(rows, wanted, FOLLOW_UPS_PAGE_SIZE);
  }

  /** A person's time point, if the actor may follow them up at their site. */
  private async find(
    db: Db,
    ctx: StaffContext,
    randomisationId: string,
    key: string,
    action: 'trial.follow_up' | 'trial.follow_up_invite' = 'trial.follow_up',
  ) {
    const timePoint = this.timePoint(key);
    const { trial, siteTrustIds } = await this.trial.access(db, ctx, action);
    const person = await this.followUps.person(db, trial.id, randomisationId);
    if (!person || !can(ctx.actor, action, site(person.trustId, siteTrustIds)))
      throw new NotFoundError('randomised person');
    return { trial, siteTrustIds, person, timePoint };
  }

  /** The entry page: where the time point stands, what was recorded, and the invitation. */
  async entry(ctx: StaffContext, randomisationId: string, key: string): Promise<FollowUpEntry> {
    const { trial, siteTrustIds, person, timePoint } = await this.find(this.db, ctx, randomisationId, key);
    if ((await this.followUps.unblindedTo(this.db, trial.id, ctx.actor.id)).has(person.randomisationId))
      throw unblindedConflict();
    const followUp = await this.followUps.followUp(this.db, randomisationId, key);
    const now = this.clock.now();
    const where = state(timePoint, person, followUp, ukToday(now));
    const invitation = await this.followUps.latestInvitation(this.db, randomisationId, key);
    const noInviteReason = !can(ctx.actor, 'trial.follow_up_invite', site(person.trustId, siteTrustIds))
      ? 'You cannot send invitations.'
      : trial.lockedAt
        ? 'The trial is locked.'
        : !mayBeChased(where.state)
          ? where.state === 'upcoming'
            ? `Their window opens on ${formatDate(where.window.opens)}.`
            : 'This follow-up is not due.'
          : !person.linked
            ? 'Their participant record is not linked to the trial yet, so there is no contact to send it to. Ask the trial manager to link it.'
            : invitation && !invitation.usedAt && invitation.expiresAt.getTime() > now.getTime()
              ? `An invitation was sent on ${formatDate(invitation.sentAt)}; its link works until ${formatDate(invitation.expiresAt)}.`
              : null;
    return {
      trial,
      person,
      timePoint,
      ...where,
      followUp,
      invitation,
      mayInvite: noInviteReason === null,
      noInviteReason,
      now,
    };
  }

  /**
   * In the saving transaction: the person locked, their time point still open to an outcome from
   * this actor. Answers an earlier save of the same form, if there was one.
   */
  private async checkOpen(
    tx: Db,
    ctx: StaffContext,
    randomisationId: string,
    key: string,
    submissionToken: string,
  ) {
    const found = await this.find(tx, ctx, randomisationId, key);
    await this.followUps.lockPerson(tx, randomisationId);
    const earlier = await this.followUps.followUpByToken(tx, submissionToken);
    if (earlier) return { ...found, earlier };
    if (found.trial.lockedAt) throw new ConflictError('The trial is locked: nothing more can be recorded');
    if (found.person.withdrawnFromFollowUp)
      throw new ConflictError('They have withdrawn from follow-up: nothing more is asked of them');
    if ((await this.followUps.unblindedTo(tx, found.trial.id, ctx.actor.id)).has(randomisationId))
      throw unblindedConflict();
    if (await this.followUps.followUp(tx, randomisationId, key))
      throw new ConflictError('This follow-up has already been recorded');
    const where = state(found.timePoint, found.person, undefined, ukToday(this.clock.now()));
    if (!mayBeChased(where.state))
      throw new ConflictError(`This follow-up's window opens on ${formatDate(where.window.opens)}`);
    return { ...found, earlier: undefined };
  }

  private responses(followUpId: string, timePoint: TimePointOf, answers: Answers[], at: Date): ResponseRow[] {
    return timePoint.asked.map((instrument, n) => {
      const given = answers[n] ?? {};
      const scored = scoreAnswers(instrument, given);
      return {
        id: randomUUID(),
        followUpId,
        questionnaire: instrument.canonical,
        response: questionnaireResponse(instrument, given, at) as unknown as Record<string, unknown>,
        score: scored.score,
        itemsMissing: scored.missing,
      };
    });
  }

  /** The assessor enters a time point's questionnaires with their guess of the arm; a form sent twice saves once. */
  async record(
    ctx: StaffContext,
    randomisationId: string,
    key: string,
    input: AssessorFollowUpInput,
  ): Promise<string> {
    return this.saveOnce(input.submissionToken, async (tx) => {
      const open = await this.checkOpen(tx, ctx, randomisationId, key, input.submissionToken);
      if (open.earlier) return open.earlier.id;
      const id = randomUUID();
      const now = this.clock.now();
      const responses = this.responses(id, open.timePoint, input.answers, now);
      await this.followUps.insertFollowUp(
        tx,
        {
          id,
          trialId: open.trial.id,
          randomisationId,
          timePoint: key,
          outcome: 'done',
          notDoneReason: null,
          completedBy: 'assessor',
          recordedBy: ctx.actor.id,
          recordedAt: now,
          armGuess: input.guess,
          guessCertainty: input.certainty,
          submissionToken: input.submissionToken,
        },
        responses,
      );
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.follow_up_recorded',
        entityType: 'trial_follow_up',
        entityId: id,
        // Neither the guess nor the scores: the audit log is read by more people than may know them.
        detail: { studyId: open.person.studyId, timePoint: key, questionnaires: responses.length },
      });
      return id;
    });
  }

  /** Records that a time point's follow-up was not done, and why. */
  async recordNotDone(
    ctx: StaffContext,
    randomisationId: string,
    key: string,
    input: { submissionToken: string; reason: NotDoneReason },
  ): Promise<string> {
    return this.saveOnce(input.submissionToken, async (tx) => {
      const open = await this.checkOpen(tx, ctx, randomisationId, key, input.submissionToken);
      if (open.earlier) return open.earlier.id;
      const id = randomUUID();
      await this.followUps.insertFollowUp(
        tx,
        {
          id,
          trialId: open.trial.id,
          randomisationId,
          timePoint: key,
          outcome: 'not_done',
          notDoneReason: input.reason,
          completedBy: 'assessor',
          recordedBy: ctx.actor.id,
          recordedAt: this.clock.now(),
          armGuess: null,
          guessCertainty: null,
          submissionToken: input.submissionToken,
        },
        [],
      );
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.follow_up_not_done',
        entityType: 'trial_follow_up',
        entityId: id,
        detail: { studyId: open.person.studyId, timePoint: key, reason: input.reason },
      });
      return id;
    });
  }

  /** One save per submission token; saves about one person wait for each other (`lockPerson`). */
  private saveOnce(submissionToken: string, work: (tx: Db) => Promise<string>): Promise<string> {
    const earlier = async () => (await this.followUps.followUpByToken(this.db, submissionToken))?.id;
    return once(() => this.db.transaction(work), FOLLOW_UP_TOKEN_KEY, earlier);
  }

  /**
   * Sends the participant a one-time link to complete the time point online, through the message
   * outbox to their linked record's email (else mobile). Only the token's hash is kept.
   */
  async invite(
    ctx: StaffContext,
    randomisationId: string,
    key: string,
    submissionToken: string,
  ): Promise<void> {
    const earlier = async () =>
      (await this.followUps.invitationByToken(this.db, submissionToken)) !== undefined;
    await once(
      () =>
        this.db.transaction(async (tx) => {
          const { trial, person, timePoint } = await this.find(
            tx,
            ctx,
            randomisationId,
            key,
            'trial.follow_up_invite',
          );
          await this.followUps.lockPerson(tx, randomisationId);
          if (await this.followUps.invitationByToken(tx, submissionToken)) return true;
          if (trial.lockedAt) throw new ConflictError('The trial is locked: no invitation can be sent');
          // Hazard H33: nobody withdrawn from follow-up is invited, whatever the page showed.
          if (person.withdrawnFromFollowUp)
            throw new ConflictError('They have withdrawn from follow-up: they are not to be invited');
          if ((await this.followUps.unblindedTo(tx, trial.id, ctx.actor.id)).has(randomisationId))
            throw unblindedConflict();
          const now = this.clock.now();
          const where = state(
            timePoint,
            person,
            await this.followUps.followUp(tx, randomisationId, key),
            ukToday(now),
          );
          if (!mayBeChased(where.state))
            throw new ConflictError('This follow-up is not due, so no invitation can be sent');
          const contact = person.participantId
            ? await this.followUps.contact(tx, person.participantId)
            : undefined;
          // Only by a way they agreed to be contacted (their referral's contact methods).
          const agreed = new Set(contact?.contactMethods ?? []);
          const to =
            contact?.email && agreed.has('email')
              ? { channel: 'email' as const, to: contact.email }
              : contact?.mobile && agreed.has('sms')
                ? { channel: 'sms' as const, to: contact.mobile }
                : null;
          if (!contact || !to)
            throw new ConflictError(
              'They have not agreed to be contacted by email or text message, or have no address or mobile for it: arrange their follow-up by phone or post',
            );
          const token = randomBytes(32).toString('base64url');
          const id = randomUUID();
          const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
          await this.followUps.insertInvitation(tx, {
            id,
            trialId: trial.id,
            randomisationId,
            timePoint: key,
            tokenHash: hashToken(token),
            channel: to.channel,
            sentBy: ctx.actor.id,
            sentAt: now,
            expiresAt,
            usedAt: null,
            submissionToken,
          });
          const personalisation = {
            link: `${this.publicUrl ?? ''}/follow-up/${token}`,
            expires: formatDate(expiresAt),
          };
          await this.outbox.enqueue(tx, {
            channel: to.channel,
            to: to.to,
            template: 'trial_follow_up_invitation',
            personalisation,
            // Neutral words: never the arm, the intervention or the programme.
            preview:
              `Thank you for taking part in our research study. It is time for a short questionnaire about how you have been. ` +
              `Answer it here (the link works until ${personalisation.expires}): ${personalisation.link}`,
            source: { kind: 'trial-follow-up-invitation', id },
            trustId: contact.trustId,
            expiresAt,
          });
          // The participant record's contact was read to send it: this event is that read too.
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.follow_up_invited',
            entityType: 'participant',
            entityId: person.participantId ?? '',
            detail: { studyId: person.studyId, timePoint: key, invitationId: id, channel: to.channel },
          });
          return true;
        }),
      INVITATION_TOKEN_KEY,
      earlier,
    );
    await this.outbox.dispatchDue();
  }

  /** What an invitation's link opens: the questionnaire while it may be answered, else why not. */
  async openInvitation(token: string): Promise<InvitationView> {
    if (!TOKEN_SHAPE.test(token)) throw new NotFoundError('invitation');
    const invitation = await this.followUps.invitationByHash(this.db, hashToken(token));
    if (!invitation) throw new NotFoundError('invitation');
    return this.invitationView(this.db, invitation);
  }

  private async invitationView(db: Db, invitation: InvitationRow): Promise<InvitationView> {
    if (invitation.usedAt) return { status: 'used' };
    const timePoint = this.schedule.timePoints.find((t) => t.key === invitation.timePoint);
    const [person, followUp, locked] = await Promise.all([
      this.followUps.person(db, invitation.trialId, invitation.randomisationId),
      this.followUps.followUp(db, invitation.randomisationId, invitation.timePoint),
      this.followUps.trialLocked(db, invitation.trialId),
    ]);
    if (
      !timePoint ||
      !person ||
      person.withdrawnFromFollowUp ||
      followUp ||
      locked ||
      invitation.expiresAt.getTime() <= this.clock.now().getTime()
    )
      return { status: 'closed' };
    return { status: 'open', timePoint, expiresAt: invitation.expiresAt };
  }

  /** The participant's answers through their link: saved once, the link then used. */
  async completeOnline(
    token: string,
    input: QuestionnaireInput,
    ip: string | null,
  ): Promise<'saved' | 'used' | 'closed'> {
    if (!TOKEN_SHAPE.test(token)) throw new NotFoundError('invitation');
    return this.db.transaction(async (tx) => {
      const invitation = await this.followUps.invitationByHash(tx, hashToken(token), true);
      if (!invitation) throw new NotFoundError('invitation');
      await this.followUps.lockPerson(tx, invitation.randomisationId);
      if (invitation.usedAt) {
        const earlier = await this.followUps.followUpByToken(tx, input.submissionToken);
        return earlier ? 'saved' : 'used';
      }
      const view = await this.invitationView(tx, invitation);
      if (view.status !== 'open') return view.status;
      const now = this.clock.now();
      const id = randomUUID();
      const responses = this.responses(id, view.timePoint, input.answers, now);
      await this.followUps.insertFollowUp(
        tx,
        {
          id,
          trialId: invitation.trialId,
          randomisationId: invitation.randomisationId,
          timePoint: invitation.timePoint,
          outcome: 'done',
          notDoneReason: null,
          completedBy: 'participant',
          recordedBy: null,
          recordedAt: now,
          armGuess: null,
          guessCertainty: null,
          submissionToken: input.submissionToken,
        },
        responses,
      );
      await this.followUps.markInvitationUsed(tx, invitation.id, now);
      await this.audit.record(tx, {
        actor: { kind: 'anonymous' },
        ip,
        action: 'trial.follow_up_completed_online',
        entityType: 'trial_follow_up',
        entityId: id,
        detail: {
          invitationId: invitation.id,
          timePoint: invitation.timePoint,
          questionnaires: responses.length,
        },
      });
      return 'saved';
    });
  }
}

const unblindedConflict = () =>
  new ConflictError('You know this person’s group: ask another assessor to do their follow-ups');
