import type { Config } from '../../config.ts';
import { openEmbeddedDatabase, openPostgresDatabase, type Database } from './database.ts';

export function openDatabase(config: Config): Promise<Database> {
  return config.database.kind === 'postgres'
    ? Promise.resolve(
        openPostgresDatabase(config.database.url, config.database.poolSize, config.database.timeouts),
      )
    : openEmbeddedDatabase(config.database.dataDir);
}
