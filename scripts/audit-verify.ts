/** `npm run audit:verify`: walks the audit log's hash chain and reports the first broken link. */
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/database/open.ts';
import { AuditRepository } from '../src/audit/audit.repository.ts';
import { AuditService } from '../src/audit/audit.service.ts';
import { systemClock } from '../src/platform/clock.ts';

const database = await openDatabase(loadConfig(process.env));
try {
  const verdict = await new AuditService(new AuditRepository(), systemClock).verify(database.db);
  if (verdict.ok) {
    console.log(`Audit log intact: ${verdict.checked} events checked, every link matches.`);
  } else {
    console.error(
      `Audit log BROKEN at event ${verdict.brokenAt}: ${verdict.reason}. ${verdict.checked} events before it are intact.`,
    );
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
