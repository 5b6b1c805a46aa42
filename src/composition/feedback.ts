/** Participants' feedback at the end of the programme, and its report. */
import { FeedbackService } from '../feedback/feedback.service.ts';
import { loadFeedbackQuestions } from '../feedback/feedback-questions.ts';
import type { Foundation } from './foundation.ts';

export function buildFeedbackServices({ db, clock, audit, repositories }: Foundation) {
  return {
    feedback: new FeedbackService(
      db,
      repositories.participants,
      repositories.endings,
      repositories.feedback,
      repositories.teams,
      audit,
      clock,
      // Checked at start-up: an invalid questions file stops the service, naming what is wrong.
      loadFeedbackQuestions(),
    ),
  };
}
