import { describe, expect, it } from 'vitest';
import { CLINICAL_WORDS } from '../reminders/message-text.ts';
import { REPLY_SUBJECT, replyPersonalisation, replyPreview } from './reply-message.ts';

describe('the email about a reply', () => {
  it('greets the worker by first name and links to their list, with no clinical word', () => {
    const text = replyPreview(replyPersonalisation('Pat Peer', 'https://greenleaf.example.nhs.uk'));
    expect(text).toBe(
      'Hello Pat,\n\nSomeone has replied to something you sent in Greenleaf.\n\n' +
        'Sign in to read it: https://greenleaf.example.nhs.uk/concerns/mine\n\nGreenleaf',
    );
    for (const word of CLINICAL_WORDS) {
      expect(`${REPLY_SUBJECT} ${text}`.toLowerCase()).not.toContain(word);
    }
  });
});
