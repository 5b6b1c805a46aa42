/**
 * The service's settings, read from the environment once at boot: the one entry the rest of
 * the code imports. The variables and their checks, the Config the code reads, and the words
 * for a wrong setting are in src/config/.
 */
export { loadConfig } from './config/load-config.ts';
export { configWarnings } from './config/unknown-settings.ts';
export { ConfigError, type Config } from './config/config.types.ts';
export {
  NOTIFY_TEMPLATES,
  type NotificationTemplate,
  type NotifyTemplateIds,
} from './config/notify-templates.ts';
