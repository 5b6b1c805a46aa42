import { pino } from 'pino';

/** The logger tests hand to the app and its services when no test reads what is logged. */
export const SILENT_LOG = pino({ level: 'silent' });
