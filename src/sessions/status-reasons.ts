/**
 * Why a session did not go ahead: a list each deployment can set (SESSION_STATUS_REASONS,
 * `key=Label` pairs separated by `;`). "Another reason", with words, is always offered last.
 * Codes are stored; a code later taken off the list still reads sensibly.
 */
export interface StatusReason {
  key: string;
  label: string;
}

export const OTHER_REASON: StatusReason = { key: 'other', label: 'Another reason' };

export const DEFAULT_STATUS_REASONS =
  'unwell=Unwell;life_event=Something came up in their life;lost_contact=Lost contact';

const KEY = /^[a-z][a-z_]{0,39}$/;

export function parseStatusReasons(
  setting: string,
): { ok: true; reasons: StatusReason[] } | { ok: false; message: string } {
  const reasons: StatusReason[] = [];
  for (const part of setting.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? '' : part.slice(0, eq)).trim();
    const label = part.slice(eq + 1).trim();
    if (!KEY.test(key) || label === '' || label.length > 100) {
      return {
        ok: false,
        message: `"${part.trim()}" must be key=Label, the key in lower case letters and _ (up to 40), the label up to 100 characters`,
      };
    }
    if (key === OTHER_REASON.key) continue;
    if (reasons.some((r) => r.key === key)) return { ok: false, message: `"${key}" is listed twice` };
    reasons.push({ key, label });
  }
  if (reasons.length === 0) return { ok: false, message: 'list at least one reason besides "other"' };
  return { ok: true, reasons: [...reasons, OTHER_REASON] };
}

/** The reason's label; a code no longer on the list is shown as words from the code. */
export function reasonLabel(key: string, reasons: readonly StatusReason[]): string {
  const found = reasons.find((r) => r.key === key);
  if (found) return found.label;
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
