/** `npm run backup [-- --output <file>]`: see src/platform/backup/backup-command.ts. */
import { runBackup } from '../src/platform/backup/backup-command.ts';

process.exitCode = await runBackup({
  argv: process.argv.slice(2),
  env: process.env,
  output: {
    log: (text) => {
      console.log(text);
    },
    error: (text) => {
      console.error(text);
    },
  },
});
