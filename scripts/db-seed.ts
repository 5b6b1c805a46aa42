/** `npm run db:seed`: migrates, then loads the demo data if it is not there yet. Never for production. */
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/database/open.ts';
import { migrate } from '../src/platform/database/migrate.ts';
import { demoDataPresent, seedDemoData } from '../src/demo/seed.ts';

// Before anything else, and whatever else is set: the demo's accounts share a published password.
if (process.env.NODE_ENV === 'production') {
  console.error('NODE_ENV is production: made-up demo data is never loaded into a production database.');
  process.exit(1);
}
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const database = await openDatabase(config);
try {
  await migrate(database);
  if (await demoDataPresent(database.db)) {
    console.log('Demo data is already there.');
  } else {
    const staff = await seedDemoData(database.db, new Date());
    console.log(`Seeded the demo trust with ${staff.length} staff accounts and 30 participants.`);
  }
} finally {
  await database.close();
}
