import type { Config } from '../../config.ts';
import { openEmbeddedDatabase, openPostgresDatabase, type Database, type OpenOptions } from './database.ts';

/** Opens the configured database; `prepare` (migrations, first data) runs before it is handed back. */
export async function openDatabase(config: Config, options: OpenOptions = {}): Promise<Database> {
  if (config.database.kind === 'embedded')
    return openEmbeddedDatabase(config.database.dataDir, { durable: config.database.durable, ...options });
  const database = openPostgresDatabase(
    config.database.url,
    config.database.poolSize,
    config.database.timeouts,
  );
  if (options.prepare) {
    try {
      await options.prepare(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}
