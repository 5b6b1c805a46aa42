/** The tests' audit key: fixed, so a test can re-sign or verify what the app wrote. Never for production. */
import { AuditKey } from '../audit/audit-key.ts';

export const TEST_AUDIT_KEY = new AuditKey(Buffer.from('greenleaf tests only: never a production audit key'));

/** Another key, as an attacker without the real one would use. */
export const WRONG_AUDIT_KEY = new AuditKey(Buffer.from('an attacker guessing at the greenleaf audit key'));
