/**
 * The email that tells a peer support worker someone has written in the thread of a concern
 * they raised. In production the same wording lives in the GOV.UK Notify template
 * `concern_reply` ((placeholders) are Notify's); the local outbox shows the text rendered here.
 *
 * It names nobody and says nothing clinical (an inbox may be shared or read over a shoulder):
 * the worker's own first name and a link to their list, no more (reply-message.test.ts).
 */
export interface ReplyPersonalisation {
  worker_first_name: string;
  /** The worker's "My concerns" page. */
  link: string;
}

export const REPLY_SUBJECT = 'You have a new reply in Greenleaf';
const REPLY_LINES = [
  'Hello ((worker_first_name)),',
  'Someone has replied to something you sent in Greenleaf.',
  'Sign in to read it: ((link))',
  'Greenleaf',
];

export function replyPersonalisation(workerFullName: string, publicUrl: string | undefined): ReplyPersonalisation {
  return {
    worker_first_name: workerFullName.split(' ')[0] ?? workerFullName,
    link: `${publicUrl ?? ''}/concerns/mine`,
  };
}

/** The message as the worker reads it. */
export function replyPreview(personalisation: ReplyPersonalisation): string {
  const text = REPLY_LINES.join('\n\n');
  return text.replace(/\(\(([a-z_]+)\)\)/g, (_, key: string) =>
    key === 'worker_first_name' || key === 'link' ? personalisation[key] : '',
  );
}
