// One CSV cell as every CSV file cxm writes for people holds it, the same
// rule as the server's (src/report/csv.h, SPEC section 8): a text a
// spreadsheet would take for a formula (it starts with = + - @, a tab or a
// carriage return) gets a leading '; the field is quoted, its quotes
// doubled, when it holds a comma, a semicolon (the list separator of many
// locales), a quote or a line break.
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[,;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// Rows as a CSV file: a UTF-8 byte-order mark first (without it Excel reads
// the file in the computer's code page and garbles é and ü, as the
// server's CSV files), CRLF line ends, every cell through csvCell.
export function csvFile(rows: string[][]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
