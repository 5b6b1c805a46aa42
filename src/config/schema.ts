import { checkVariables } from './checks.ts';
import { variablesSchema } from './variables.ts';

/**
 * Every setting the service reads, parsed once at boot. The process refuses to start when
 * any value is wrong, naming each bad variable (STYLE.md habit 6).
 */
export const configSchema = variablesSchema.superRefine(checkVariables);

export const KNOWN_SETTINGS = Object.keys(configSchema.shape);
