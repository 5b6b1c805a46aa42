import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';

describe('CSV for spreadsheets', () => {
  it('quotes every cell and doubles quotes inside it', () => {
    expect(csvCell('Pat "the" Peer')).toBe('"Pat ""the"" Peer"');
    expect(csvCell('a,b\nc')).toBe('"a,b\nc"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(3)).toBe('"3"');
  });

  it.each(['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'a cell a spreadsheet would run as a formula (%j) is shown as text',
    (hostile) => {
      expect(csvCell(hostile).startsWith(`"'`)).toBe(true);
    },
  );

  it('leaves ordinary words and dates alone', () => {
    expect(csvCell('Current until 9 January 2027')).toBe('"Current until 9 January 2027"');
  });

  it('starts with a byte-order mark and ends every line with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('\uFEFF"a","b"\r\n"c","d"\r\n');
  });
});
