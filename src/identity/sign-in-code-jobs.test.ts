import { describe, expect, it } from 'vitest';
import { signInCodeJobs } from './sign-in-code-jobs.ts';
import type { Contact } from './sign-in-code-rules.ts';

describe('the sign-in code job', () => {
  const delivered: { contact: Contact; ip: string | null }[] = [];
  const [job] = signInCodeJobs({
    deliver: (contact, ip) => {
      delivered.push({ contact, ip });
      return Promise.resolve();
    },
  });

  it('keeps a request (a contact and an address) briefly: dropped after 10 minutes unstarted, deleted a minute after it ran', () => {
    expect(job?.queue).toMatchObject({ retentionSeconds: 600, deleteAfterSeconds: 60 });
  });

  it('sends the code for the contact it carries, and refuses anything else', async () => {
    await job?.run({ contact: '+447700900001', ip: '198.51.100.1' });
    await job?.run({ contact: 'someone@example.com', ip: null });
    expect(delivered).toEqual([
      { contact: { mobile: '+447700900001' }, ip: '198.51.100.1' },
      { contact: { email: 'someone@example.com' }, ip: null },
    ]);
    await expect(job?.run({ contact: 'not a contact', ip: null })).rejects.toThrow('unreadable');
    await expect(job?.run({})).rejects.toThrow('unreadable');
    expect(delivered).toHaveLength(2);
  });
});
