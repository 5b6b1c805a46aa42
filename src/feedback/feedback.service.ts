/**
 * Participants' feedback at the end of the programme. Once their programme has ended, a
 * participant is asked once what they thought (every question optional) or says no thanks. The
 * answers are kept with no participant and no worker on them, so their peer support worker can
 * never see who said what; only the coordinator and supervisors see them, in aggregate, with
 * small numbers withheld (`feedback-summary.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { addMonths, ukToday } from '../platform/calendar/uk-time.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext, StaffActor } from '../policy/actor.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type { EndingRepository } from '../endings/ending.repository.ts';
import type { TeamRepository } from '../organisation/team.repository.ts';
import type { FeedbackQuestions } from './feedback-questions.ts';
import type { FeedbackInput } from './feedback.form.ts';
import { RESPONSE_KEYS, type FeedbackFilter, type FeedbackRepository } from './feedback.repository.ts';
import {
  commentsToShow,
  responseRate,
  summariseAnswers,
  type CommentsSummary,
  type QuestionSummary,
  type ResponseRate,
} from './feedback-summary.ts';

type ParticipantContext = RequestContext & { actor: ParticipantActor };
type StaffContext = RequestContext & { actor: StaffActor };

/** Where the participant is with feedback: asked once their programme has ended. */
export type FeedbackState = 'not_ended' | 'open' | 'given' | 'declined';

/** How the answer to a sent form went: saved now, the same form again, or answered before. */
export type FeedbackOutcome = 'saved' | 'duplicate' | 'already';

export type FeedbackParticipants = Pick<ParticipantRepository, 'findWithAllocation'>;
export type FeedbackEndings = Pick<EndingRepository, 'find' | 'sharedWithCrisisTeam'>;
export type FeedbackTeams = Pick<TeamRepository, 'listForTrust'>;

/** How many months back the report's periods may start, and the default period's length. */
export const MONTHS_OFFERED = 36;
export const DEFAULT_MONTHS = 12;

export interface ReportQuery {
  team?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface FeedbackReport {
  teams: { id: string; name: string }[];
  /** YYYY-MM, oldest first. */
  months: string[];
  /** What the filter shows: as asked when it was valid, else as posted (for the boxes). */
  values: { team: string; from: string; to: string };
  errors?: Record<string, string>;
  /** Absent when the filter had errors. */
  results?: {
    teamName: string | null;
    from: string;
    to: string;
    rate: ResponseRate;
    questions: QuestionSummary[];
    comments: CommentsSummary;
  };
}

const ALL_TEAMS = 'all';

export class FeedbackService {
  private readonly db: Db;
  private readonly participants: FeedbackParticipants;
  private readonly endings: FeedbackEndings;
  private readonly feedback: FeedbackRepository;
  private readonly teams: FeedbackTeams;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly questions: FeedbackQuestions;

  constructor(
    db: Db,
    participants: FeedbackParticipants,
    endings: FeedbackEndings,
    feedback: FeedbackRepository,
    teams: FeedbackTeams,
    audit: AuditService,
    clock: Clock,
    questions: FeedbackQuestions,
  ) {
    this.db = db;
    this.participants = participants;
    this.endings = endings;
    this.feedback = feedback;
    this.teams = teams;
    this.audit = audit;
    this.clock = clock;
    this.questions = questions;
  }

  /** The participant and their ending, if they may give feedback (their programme ended). */
  private async ended(db: Db, ctx: ParticipantContext) {
    const participant = await this.participants.findWithAllocation(db, ctx.actor.id);
    const ending = participant && (await this.endings.find(db, participant.id));
    if (!participant || !ending) return undefined;
    const resource: Resource = {
      type: 'ending',
      participantId: participant.id,
      trustId: participant.trustId,
      crisisTeamId: participant.crisisTeamId,
      allocatedWorkerId: participant.allocatedWorkerId,
      sharedWithCrisisTeam: await this.endings.sharedWithCrisisTeam(db, participant.id),
    };
    return can(ctx.actor, 'feedback.give', resource) ? { participant, ending } : undefined;
  }

  /** Where the signed-in participant is with feedback (their own pages offer it while `open`). */
  async state(ctx: ParticipantContext): Promise<FeedbackState> {
    if (!(await this.ended(this.db, ctx))) return 'not_ended';
    const response = await this.feedback.response(this.db, ctx.actor.id);
    return response ? response.outcome : 'open';
  }

  /** The form's state; anyone whose programme has not ended is told the page is not there. */
  async formState(ctx: ParticipantContext): Promise<Exclude<FeedbackState, 'not_ended'>> {
    const state = await this.state(ctx);
    if (state === 'not_ended') throw new NotFoundError('feedback');
    return state;
  }

  /**
   * Saves the answers (or the no thanks) once: a form sent twice, or two at once, makes one
   * feedback row. The answers and the record that they answered are written in one transaction
   * with the audit event, which names the participant and never the feedback.
   */
  async respond(ctx: ParticipantContext, input: FeedbackInput): Promise<FeedbackOutcome> {
    if (!(await this.ended(this.db, ctx))) throw new NotFoundError('feedback');
    const earlier = async (db: Db): Promise<FeedbackOutcome | undefined> => {
      const response = await this.feedback.response(db, ctx.actor.id);
      if (!response) return undefined;
      return response.submissionToken === input.submissionToken ? 'duplicate' : 'already';
    };
    try {
      return await this.db.transaction(async (tx) => {
        const found = await earlier(tx);
        if (found) return found;
        const ended = await this.ended(tx, ctx);
        if (!ended) throw new NotFoundError('feedback');
        if (await this.feedback.responseByToken(tx, input.submissionToken)) {
          // The same form, committed by a twin since this transaction first looked (each statement
          // sees what is committed when it starts): the twin's answer, not an expired form.
          const twin = await earlier(tx);
          if (twin) return twin;
          throw expired();
        }
        const given = input.action === 'send';
        await this.feedback.insertResponse(tx, {
          participantId: ended.participant.id,
          outcome: given ? 'given' : 'declined',
          submissionToken: input.submissionToken,
        });
        if (input.action === 'send') {
          await this.feedback.insertFeedback(tx, {
            id: randomUUID(),
            trustId: ended.participant.trustId,
            crisisTeamId: ended.participant.crisisTeamId,
            endedMonth: `${ended.ending.endedOn.slice(0, 7)}-01`,
            answers: input.answers,
            comment: input.comment,
          });
        }
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: given ? 'feedback.given' : 'feedback.declined',
          entityType: 'participant',
          entityId: ended.participant.id,
          detail: {},
        });
        return 'saved';
      });
    } catch (error) {
      // The same form twice at once, or two forms: the one that lost finds the winner.
      if (RESPONSE_KEYS.some((key) => isUniqueViolation(error, key))) {
        const found = await earlier(this.db);
        if (found) return found;
        throw expired();
      }
      throw error;
    }
  }

  /**
   * The report for the coordinator and supervisors: a team (or all the trust's) over months from
   * and to; by default the last 12 months. A filter that does not make sense is shown with what
   * to correct, and no figures.
   */
  async report(ctx: StaffContext, query: ReportQuery): Promise<FeedbackReport> {
    const trust: Resource = { type: 'trust', trustId: ctx.actor.trustId };
    if (!can(ctx.actor, 'feedback.report', trust)) throw new NotFoundError('page');
    const teams = (await this.teams.listForTrust(this.db, ctx.actor.trustId)).map((t) => ({
      id: t.id,
      name: t.name,
    }));
    const thisMonth = ukToday(this.clock.now()).slice(0, 7);
    const months = Array.from({ length: MONTHS_OFFERED }, (_, i) =>
      addMonths(`${thisMonth}-01`, i - MONTHS_OFFERED + 1).slice(0, 7),
    );
    const values = {
      team: query.team ?? ALL_TEAMS,
      from: query.from ?? addMonths(`${thisMonth}-01`, 1 - DEFAULT_MONTHS).slice(0, 7),
      to: query.to ?? thisMonth,
    };
    const errors: Record<string, string> = {};
    const team = teams.find((t) => t.id === values.team);
    if (values.team !== ALL_TEAMS && !team) errors.team = 'Choose a crisis team from the list';
    if (!months.includes(values.from)) errors.from = 'Choose a first month from the list';
    if (!months.includes(values.to)) errors.to = 'Choose a last month from the list';
    if (!errors.from && !errors.to && values.from > values.to)
      errors.from = 'The first month must be the same as or before the last month';
    if (Object.keys(errors).length > 0) return { teams, months, values, errors };
    if (team && !can(ctx.actor, 'feedback.report', { ...trust, type: 'crisisTeam', crisisTeamId: team.id }))
      throw new NotFoundError('page');

    const filter: FeedbackFilter = {
      trustId: ctx.actor.trustId,
      crisisTeamId: team?.id ?? null,
      from: `${values.from}-01`,
      toExclusive: addMonths(`${values.to}-01`, 1),
    };
    const mayReadComments = can(ctx.actor, 'feedback.read_comments', trust);
    const [counts, responses, ended, written] = await Promise.all([
      this.feedback.answerCounts(this.db, filter),
      this.feedback.feedbackCount(this.db, filter),
      this.feedback.endedCount(this.db, filter),
      mayReadComments ? this.feedback.comments(this.db, filter) : Promise.resolve([]),
    ]);
    const comments = commentsToShow(written, mayReadComments);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'feedback.report_viewed',
      entityType: 'trust',
      entityId: ctx.actor.trustId,
      detail: {
        crisisTeamId: filter.crisisTeamId,
        from: values.from,
        to: values.to,
        commentsShown: comments.shown ? comments.comments.length : 0,
      },
    });
    return {
      teams,
      months,
      values,
      results: {
        teamName: team?.name ?? null,
        from: values.from,
        to: values.to,
        rate: responseRate(responses, ended),
        questions: summariseAnswers(this.questions, counts),
        comments,
      },
    };
  }
}

const expired = () => new ValidationError({ submissionToken: 'This form has expired. Start again' });
