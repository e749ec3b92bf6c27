// Display helpers shared by the pages: numbers, dates and names.

export const score = (value: number | null | undefined) => (value == null ? '–' : Math.round(value).toString());

export const decimal = (value: number | null | undefined, digits = 2) =>
  value == null ? '–' : value.toFixed(digits);

// "+1.5", "-0.3", "0.0": a difference, its sign always shown when positive.
export const signed = (value: number | null | undefined, digits = 2) =>
  value == null ? '–' : (value > 0 ? '+' : '') + value.toFixed(digits);

export const date = (millis: number | null | undefined) =>
  millis == null ? '–' : new Date(millis).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

// "2026-05-01" (from <input type=date>) <-> Unix milliseconds at local midnight.
export const toDateInput = (millis: number | null | undefined) => {
  if (millis == null) return '';
  const d = new Date(millis);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
export const fromDateInput = (value: string) => (value ? new Date(value + 'T00:00:00').getTime() : null);
// A closing date: the end of that day (23:59:59 local time), so that the
// day chosen is the last one to answer.
export const fromClosingDateInput = (value: string) => (value ? new Date(value + 'T23:59:59').getTime() : null);

export const roleName = (role: string | null) =>
  role ? role.charAt(0).toUpperCase() + role.slice(1) : 'No role given';

export const ROLES = ['executive', 'manager', 'frontline', 'other'];

export const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

// "250–999" -> "250–999 employees"; a band that already names its unit
// ("250-999 employees.", "1,000+ Employees (group)", "50 staff") stays as it is.
// The size bands an organization chooses from, in the canonical form the
// server stores and datasets use (core::kSizeBands).
export const SIZE_BANDS = ['1-49', '50-249', '250-999', '1000-4999', '5000+'] as const;

const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// A size band as people read it: "1000-4999" is "1,000–4,999 employees".
// Text that is not a band of numbers is shown as it is.
export const sizeBand = (band: string) => {
  const b = band.trim();
  if (!b) return '';
  const numbers = /^(\d+)\s*[-\u2010-\u2014\u2212]\s*(\d+)$|^(\d+)\+$/.exec(b.replace(/(\d)[,.\u00a0\u202f ](?=\d{3}\b)/g, '$1'));
  if (numbers) {
    const range = numbers[3] ? `${thousands(numbers[3])}+` : `${thousands(numbers[1])}\u2013${thousands(numbers[2])}`;
    return `${range} employees`;
  }
  return /\b(employees?|staff|people|FTEs?)\b/i.test(b) ? b : `${b} employees`;
};

// A new cycle's suggested name: the month and year it is made ("December
// 2026 assessment"). Seasons depend on the hemisphere and "Autumn" in
// December reads wrong; a month is true everywhere.
export const defaultCycleName = (d: Date) =>
  `${d.toLocaleDateString('en-GB', { month: 'long' })} ${d.getFullYear()} assessment`;

// What participants see as the assessment's name (the server's
// participant_title): the cycle's title, or the organization's name and
// "customer-experience assessment"; never the internal cycle name.
export const participantTitle = (title: string | null | undefined, orgName: string) =>
  title?.trim() || (orgName ? `${orgName} customer-experience assessment` : 'Customer-experience assessment');

// A moment with its time of day: "12 Jan 2027, 00:00" (a cycle opens and
// closes itself at that moment, not at some hour of that day).
export const dateTime = (millis: number | null | undefined) =>
  millis == null
    ? '–'
    : new Date(millis).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

// "3 and 7", "1, 3 and 7": a list of days in words.
export const andList = (items: (string | number)[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

// "3, 7" typed by a person -> [3, 7]; null when something in it is not a
// whole number of days.
export const dayList = (text: string): number[] | null => {
  const parts = text.split(/[\s,;]+|\band\b/).filter(Boolean);
  return parts.every((d) => /^\d+$/.test(d)) ? parts.map(Number) : null;
};
