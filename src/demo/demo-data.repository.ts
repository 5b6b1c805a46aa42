import { eq, ilike } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { staffUsers, trusts } from '../platform/database/schema.ts';

/** Every demo staff account's email is at this domain (seed.ts). */
export const DEMO_EMAIL_DOMAIN = 'demo.greenleaf.nhs.uk';

export class DemoDataRepository {
  /** The demo trust, or any account at the demo domain (which shares the published password). */
  async present(db: Db, demoTrustId: string): Promise<boolean> {
    const trust = await db.select({ id: trusts.id }).from(trusts).where(eq(trusts.id, demoTrustId)).limit(1);
    if (trust.length > 0) return true;
    const staff = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(ilike(staffUsers.email, `%@${DEMO_EMAIL_DOMAIN}`))
      .limit(1);
    return staff.length > 0;
  }
}
