import { describe, expect, it } from 'vitest';
import { csvCell, csvFile } from './csv';

describe('csvCell', () => {
  it('never lets a spreadsheet read a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvCell(`${start}SUM(1+1)`).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
  });
  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('Ann;@SUM(1+1)')).toBe('"Ann;@SUM(1+1)"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('Sales')).toBe('Sales');
  });
  it('writes rows with CRLF', () => {
    expect(csvFile([['label', 'unit'], ['-1', 'Sales']])).toBe("\uFEFFlabel,unit\r\n'-1,Sales\r\n");
  });
  it('starts with a byte-order mark so that Excel reads accented names', () => {
    const bytes = new TextEncoder().encode(csvFile([['Zoë Müller']]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
