// A pasted list of people to invite by e-mail, read for the preview only:
// the server checks the list again and is the judge (SPEC section 4.7).
// Two forms are read:
//  - CSV with a heading row naming name, email, role, unit (the headings
//    the server reads, in any order and case; separators ',' ';' or tab).
//    It is sent to the server as it is ({csv}), so the server's "row N"
//    is the line N the person sees.
//  - One person per line: "Name <email>", "email", "Name email",
//    "Name, email" or "Name<TAB>email" (a spreadsheet's two columns), or
//    several "Name <email>" on a line separated by ';' or ',' (as a mail
//    program copies its recipients). Sent as {people}; the server's
//    "row N" (the Nth person) is turned back into the line they came from.
import { t } from './i18n.svelte';

export interface PastedPerson {
  line: number; // the line of the text it came from (from 1)
  name: string;
  email: string;
  role: string;
  unit: string;
  problem: string; // what the preview sees wrong, or empty
}

export interface PastedList {
  format: 'empty' | 'csv' | 'lines';
  people: PastedPerson[];
  // A problem of the text as a whole (a CSV heading the server does not read).
  problems: string[];
  // CSV: which of role and unit the file gives.
  columns: { role: boolean; unit: boolean };
}

// The headings the server reads (src/mail/people_list.cpp), lower case.
const COLUMNS: Record<string, 'name' | 'email' | 'role' | 'unit'> = {
  name: 'name',
  'full name': 'name',
  email: 'email',
  'e-mail': 'email',
  'email address': 'email',
  'e-mail address': 'email',
  mail: 'email',
  role: 'role',
  unit: 'unit',
  department: 'unit',
  team: 'unit',
};

// A rough look at an address, for the preview: one @, something on both
// sides, nothing that never belongs in one. The server's check is the real one.
export function addressProblem(email: string): string {
  if (!email) return t('setup.people.noAddress');
  if (/[\s<>(),;:"[\]\\]/.test(email)) return t('setup.people.notAnAddress', { email });
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || email.indexOf('@') !== at) return t('setup.people.notAnAddress', { email });
  const domain = email.slice(at + 1);
  if (domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return t('setup.people.notAnAddress', { email });
  return '';
}

// The separator of a CSV text, decided on its first line as the server does.
export function csvSeparator(text: string): string {
  let commas = 0,
    semicolons = 0,
    tabs = 0,
    quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    if (c === '\n' || c === '\r') break;
    if (c === ',') commas++;
    else if (c === ';') semicolons++;
    else if (c === '\t') tabs++;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

// CSV records with the line each starts on; quoted fields may hold the
// separator, doubled quotes and line breaks; blank lines are skipped.
export function csvRecords(text: string, separator = ','): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false; // the record has a character or a separator
  const end = () => {
    if (any) records.push({ line: start, fields: [...fields, field] });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
      if (!any) start = line;
      any = true;
    } else if (c === separator) {
      if (!any) start = line;
      any = true;
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      end();
      line++;
    } else {
      if (!any) start = line;
      if (c.trim() !== '' || any) any = true;
      field += c;
    }
  }
  end();
  return records;
}

function unquoted(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\"/g, '"').trim() : t;
}

// Splits a line holding several addresses on ';' or ',' outside quotes and
// angle brackets.
function entries(line: string): string[] {
  const out: string[] = [];
  let part = '';
  let quoted = false;
  let angle = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    if ((c === ';' || c === ',') && !quoted && !angle) {
      out.push(part);
      part = '';
    } else part += c;
  }
  out.push(part);
  return out.map((p) => p.trim()).filter(Boolean);
}

const stripMailto = (s: string) => s.trim().replace(/^mailto:/i, '');

// One entry of a line: a name and an address.
function person(entry: string): { name: string; email: string } {
  const angle = /^(.*?)<([^<>]*)>\s*$/.exec(entry);
  if (angle) return { name: unquoted(angle[1]), email: stripMailto(angle[2]) };
  const fields = entry.includes('\t') ? entry.split('\t') : entry.split(/[,;]/);
  if (fields.length > 1) {
    const at = fields.findIndex((f) => f.includes('@'));
    if (at >= 0 && !/\s/.test(fields[at].trim())) {
      const name = fields.filter((_, i) => i !== at).map(unquoted).filter(Boolean).join(' ');
      return { name, email: stripMailto(fields[at]) };
    }
  }
  const words = entry.trim().split(/\s+/);
  const at = words.findIndex((w) => w.includes('@'));
  if (at === -1) return { name: unquoted(entry), email: '' };
  if (words.length === 1) return { name: '', email: stripMailto(words[0]) };
  // "Name email" or "email Name"; anything else is shown as the server would see it.
  if (at === words.length - 1) return { name: unquoted(words.slice(0, -1).join(' ')), email: stripMailto(words[at]) };
  if (at === 0) return { name: unquoted(words.slice(1).join(' ')), email: stripMailto(words[0]) };
  return { name: '', email: entry.trim() };
}

// The heading row's columns when the first line is one (it names an
// e-mail column and holds no address), else null.
function headings(firstLine: string, separator: string): (string | null)[] | null {
  if (firstLine.includes('@')) return null;
  const fields = csvRecords(firstLine, separator)[0]?.fields ?? [];
  const columns = fields.map((f) => COLUMNS[f.trim().toLowerCase()] ?? null);
  return columns.includes('email') ? columns : null;
}

function markDuplicates(people: PastedPerson[]) {
  const first = new Map<string, number>();
  for (const p of people) {
    if (p.problem || !p.email) continue;
    const key = p.email.toLowerCase();
    const seen = first.get(key);
    if (seen !== undefined) p.problem = t('setup.people.duplicate', { email: p.email, line: seen });
    else first.set(key, p.line);
  }
}

export function parsePeople(text: string): PastedList {
  const clean = text.replace(/^\uFEFF/, '');
  const lines = clean.split(/\r\n|\r|\n/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex === -1) return { format: 'empty', people: [], problems: [], columns: { role: false, unit: false } };

  const separator = csvSeparator(lines.slice(firstIndex).join('\n'));
  const columns = headings(lines[firstIndex], separator);
  if (columns) {
    const problems: string[] = [];
    const rawHeadings = csvRecords(lines[firstIndex], separator)[0].fields;
    rawHeadings.forEach((h, i) => {
      if (h.trim() && columns[i] === null)
        problems.push(t('setup.people.unknownColumn', { line: firstIndex + 1, heading: h.trim() }));
    });
    const records = csvRecords(clean, separator);
    const people: PastedPerson[] = records.slice(1).map((r) => {
      const field = (column: string) => {
        const i = columns.indexOf(column as never);
        return i === -1 ? '' : (r.fields[i] ?? '').trim();
      };
      const email = field('email');
      const extra = r.fields.length > rawHeadings.length;
      return {
        line: r.line,
        name: field('name'),
        email,
        role: field('role'),
        unit: field('unit'),
        problem: extra
          ? t('setup.people.extraFields', { fields: r.fields.length, headings: rawHeadings.length })
          : addressProblem(email),
      };
    });
    markDuplicates(people);
    return { format: 'csv', people, problems, columns: { role: columns.includes('role'), unit: columns.includes('unit') } };
  }

  const people: PastedPerson[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const several = (line.match(/@/g) ?? []).length > 1 && !line.includes('\t');
    for (const entry of several ? entries(line) : [line]) {
      const { name, email } = person(entry);
      people.push({ line: i + 1, name, email, role: '', unit: '', problem: addressProblem(email) });
    }
  });
  markDuplicates(people);
  return { format: 'lines', people, problems: [], columns: { role: false, unit: false } };
}

// The server names the Nth person of a {people} list "row N"; the person
// pasted lines: "row 3, column "email": …" becomes "Line 5, column "email": …".
// A CSV sent as it is keeps the server's words: its rows are the text's lines.
export function explainServerMessage(message: string, sent: PastedList, fileName = ''): string {
  const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);
  if (sent.format === 'lines') {
    return sentence(
      message.replace(/^row (\d+)/, (whole, n: string) => {
        const p = sent.people[Number(n) - 1];
        if (!p) return whole;
        return p.email ? t('setup.people.serverLineEmail', { line: p.line, email: p.email }) : t('setup.people.serverLine', { line: p.line });
      }),
    );
  }
  if (sent.format === 'csv' && fileName) return `${fileName}: ${message}`;
  return sentence(message);
}
