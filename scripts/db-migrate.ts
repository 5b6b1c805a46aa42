/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/database/open.ts';
import { migrate } from '../src/platform/database/migrate.ts';

const database = await openDatabase(loadConfig(process.env));
try {
  const applied = await migrate(database);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`
      : 'The database is up to date.',
  );
} finally {
  await database.close();
}
