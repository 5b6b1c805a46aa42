/** `npm run restore -- <file> [--replace]`: see src/platform/backup/restore-command.ts. */
import { runRestore } from '../src/platform/backup/restore-command.ts';

process.exitCode = await runRestore({
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
