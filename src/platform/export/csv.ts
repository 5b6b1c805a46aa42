/**
 * CSV for spreadsheets (RFC 4180): every cell quoted, quotes doubled, lines ended CRLF, with a
 * byte-order mark so Excel reads UTF-8. A cell a spreadsheet would run as a formula (starting
 * =, +, -, @, tab or carriage return, OWASP's list) is given a leading apostrophe, so a name
 * such as `=HYPERLINK(...)` is shown as text, never run.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
