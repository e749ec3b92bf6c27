import { afterEach, describe, expect, it } from 'vitest';
import { addressProblem, csvRecords, explainServerMessage, parsePeople } from './people';
import { setLang } from './i18n.svelte';

const pick = (text: string) => parsePeople(text).people.map(({ line, name, email, problem }) => ({ line, name, email, problem }));

describe('parsePeople, one person per line', () => {
  it('reads "Name <email>", a bare address, "Name email" and "Name, email"', () => {
    expect(
      pick('Alex Morgan <alex@example.com>\n\nsam.lee@example.com\nRobin Park robin@example.com\n"Diaz, Kim" <kim@example.com>\nJo Ng, jo@example.com\n'),
    ).toEqual([
      { line: 1, name: 'Alex Morgan', email: 'alex@example.com', problem: '' },
      { line: 3, name: '', email: 'sam.lee@example.com', problem: '' },
      { line: 4, name: 'Robin Park', email: 'robin@example.com', problem: '' },
      { line: 5, name: 'Diaz, Kim', email: 'kim@example.com', problem: '' },
      { line: 6, name: 'Jo Ng', email: 'jo@example.com', problem: '' },
    ]);
    expect(parsePeople('a@example.com').format).toBe('lines');
  });

  it('reads a spreadsheet\'s two columns (tab) and a mail program\'s recipients on one line', () => {
    expect(pick('Alex Morgan\talex@example.com')).toEqual([{ line: 1, name: 'Alex Morgan', email: 'alex@example.com', problem: '' }]);
    expect(pick('Alex Morgan <alex@example.com>; "Lee, Sam" <sam@example.com>, kim@example.com')).toEqual([
      { line: 1, name: 'Alex Morgan', email: 'alex@example.com', problem: '' },
      { line: 1, name: 'Lee, Sam', email: 'sam@example.com', problem: '' },
      { line: 1, name: '', email: 'kim@example.com', problem: '' },
    ]);
  });

  it('says what is wrong: a line without an address, a bad address, the same address twice', () => {
    expect(pick('Alex Morgan\nsam@\nSam <SAM@example.com>\nsam@example.com')).toEqual([
      { line: 1, name: 'Alex Morgan', email: '', problem: 'no e-mail address' },
      { line: 2, name: '', email: 'sam@', problem: "'sam@' is not an e-mail address" },
      { line: 3, name: 'Sam', email: 'SAM@example.com', problem: '' },
      { line: 4, name: '', email: 'sam@example.com', problem: "'sam@example.com' is already on line 3" },
    ]);
  });

  it('reads "Last, First address" as a name and an address', () => {
    expect(pick('Lee, Sam sam@example.com')).toEqual([{ line: 1, name: 'Lee, Sam', email: 'sam@example.com', problem: '' }]);
  });

  it('strips mailto: and a byte-order mark', () => {
    expect(pick('\uFEFFmailto:a@example.com')).toEqual([{ line: 1, name: '', email: 'a@example.com', problem: '' }]);
  });

  it('is empty for blank text', () => {
    expect(parsePeople(' \n\n ').format).toBe('empty');
    expect(parsePeople('').people).toEqual([]);
  });
});

describe('parsePeople, CSV with a heading row', () => {
  it('reads the columns the server reads, in any order and case, with the lines the server names', () => {
    const list = parsePeople('E-mail;Name;Department;Role\r\nalex@example.com;"Morgan; Alex";Sales;Manager\r\n\r\nsam@example.com;Sam Lee;;\r\n');
    expect(list.format).toBe('csv');
    expect(list.columns).toEqual({ role: true, unit: true });
    expect(list.people).toEqual([
      { line: 2, name: 'Morgan; Alex', email: 'alex@example.com', role: 'Manager', unit: 'Sales', problem: '' },
      { line: 4, name: 'Sam Lee', email: 'sam@example.com', role: '', unit: '', problem: '' },
    ]);
  });

  it('names an unknown heading, too many fields and a bad address', () => {
    const list = parsePeople('name,email,phone\nAlex,alex@example.com,1,2\nSam,sam-at-example.com,3');
    expect(list.problems).toEqual(['Line 1: "phone" is not a column cxm reads (name, email, role, unit); remove it.']);
    expect(list.columns).toEqual({ role: false, unit: false });
    expect(list.people.map((p) => p.problem)).toEqual(['4 fields, but the heading row has 3', "'sam-at-example.com' is not an e-mail address"]);
  });

  it('is not CSV when the first line holds an address', () => {
    expect(parsePeople('name,a@example.com').format).toBe('lines');
  });

  it('keeps a quoted line break in one field and counts lines across it', () => {
    expect(csvRecords('a,"b\nc"\nd,e')).toEqual([
      { line: 1, fields: ['a', 'b\nc'] },
      { line: 3, fields: ['d', 'e'] },
    ]);
  });
});

describe('addressProblem', () => {
  it('accepts plain addresses and refuses obvious mistakes', () => {
    expect(addressProblem('a.b+c@mail.example.co.uk')).toBe('');
    for (const bad of ['a b@example.com', '@example.com', 'a@', 'a@@b.com', 'a@b..com', 'a@.b.com', 'plain'])
      expect(addressProblem(bad)).not.toBe('');
  });
});

describe('explainServerMessage', () => {
  it("turns the server's row of a pasted list into the line it came from", () => {
    const sent = parsePeople('Alex <alex@example.com>\n\n\nbad@@example.com');
    expect(explainServerMessage('row 2, column "email": \'bad@@example.com\' is not an e-mail address: two @', sent)).toBe(
      'Line 4 (bad@@example.com), column "email": \'bad@@example.com\' is not an e-mail address: two @',
    );
  });

  it("keeps a CSV's rows (they are its lines) and names an uploaded file", () => {
    const sent = parsePeople('name,email\nA,a@example.com');
    expect(explainServerMessage('row 2, column "role": \'Boss\' is not a role', sent)).toBe('Row 2, column "role": \'Boss\' is not a role');
    expect(explainServerMessage('row 2, column "role": x', sent, 'team.csv')).toBe('team.csv: row 2, column "role": x');
  });
});

describe('the preview in German', () => {
  afterEach(() => setLang('en'));

  it('names problems in German', () => {
    setLang('de');
    const list = parsePeople('Alex <alex@example.com>\nSam <sam-at-example.com>\nALEX@example.com');
    expect(list.people.map((p) => p.problem)).toEqual(['', '„sam-at-example.com“ ist keine E-Mail-Adresse', '„ALEX@example.com“ steht schon in Zeile 1']);
    expect(addressProblem('')).toBe('keine E-Mail-Adresse');
    const sent = parsePeople('Alex <alex@example.com>\n\nbad@@example.com');
    expect(explainServerMessage("row 2, column \"email\": 'bad@@example.com' is not an e-mail address", sent)).toMatch(/^Zeile 3 \(bad@@example.com\)/);
  });
});
