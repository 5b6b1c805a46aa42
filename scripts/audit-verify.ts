/**
 * `npm run audit:verify [-- --checkpoints <file> …]`: checks every audit chain with the key and
 * against the checkpoints kept outside the database (src/audit/audit-verify-command.ts).
 */
import { runAuditVerify } from '../src/audit/audit-verify-command.ts';

process.exitCode = await runAuditVerify({
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
