// Display helpers shared by the pages: numbers, dates and names, in the
// reader's language (i18n.lang) with the words from the catalogue.
import { formatDate, formatDateTime, formatNumber, i18n, t } from './i18n.svelte';

export const score = (value: number | null | undefined) =>
  value == null ? '–' : formatNumber(Math.round(value), { useGrouping: false });

// "2.50" in English, "2,50" in German: always `digits` decimals.
export const decimal = (value: number | null | undefined, digits = 2) =>
  value == null
    ? '–'
    : formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });

// "+1.5", "-0.3", "0.0": a difference, its sign always shown when positive.
export const signed = (value: number | null | undefined, digits = 2) =>
  value == null
    ? '–'
    : formatNumber(value, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: false,
        signDisplay: 'exceptZero',
      });

export const date = (millis: number | null | undefined) => (millis == null ? '–' : formatDate(millis));

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

// The name of a role; a role the application does not know is shown as it
// is, with a capital letter.
export const roleName = (role: string | null) => {
  switch (role) {
    case 'executive':
      return t('setup.role.executive');
    case 'manager':
      return t('setup.role.manager');
    case 'frontline':
      return t('setup.role.frontline');
    case 'other':
      return t('setup.role.other');
    case null:
    case '':
      return t('setup.role.none');
    default:
      return role.charAt(0).toLocaleUpperCase(i18n.lang) + role.slice(1);
  }
};

export const ROLES = ['executive', 'manager', 'frontline', 'other'];

// "1 answer", "3 answers" with the number as the reader writes it. The
// words come from the caller; new text uses an ICU plural in a catalogue.
export const plural = (n: number, one: string, many = one + 's') =>
  `${formatNumber(n)} ${new Intl.PluralRules(i18n.lang).select(n) === 'one' ? one : many}`;

// "250–999" -> "250–999 employees"; a band that already names its unit
// ("250-999 employees.", "1,000+ Employees (group)", "50 staff") stays as it is.
// The size bands an organization chooses from, in the canonical form the
// server stores and datasets use (core::kSizeBands).
export const SIZE_BANDS = ['1-49', '50-249', '250-999', '1000-4999', '5000+'] as const;

const thousands = (digits: string) => formatNumber(Number(digits));

// A size band as people read it: "1000-4999" is "1,000–4,999 employees".
// Text that is not a band of numbers is shown as it is.
export const sizeBand = (band: string) => {
  const b = band.trim();
  if (!b) return '';
  const numbers = /^(\d+)\s*[-\u2010-\u2014\u2212]\s*(\d+)$|^(\d+)\+$/.exec(b.replace(/(\d)[,.\u00a0\u202f ](?=\d{3}\b)/g, '$1'));
  if (numbers) {
    const range = numbers[3] ? `${thousands(numbers[3])}+` : `${thousands(numbers[1])}\u2013${thousands(numbers[2])}`;
    return t('setup.format.sizeBand', { range });
  }
  return /\b(employees?|staff|people|FTEs?|Mitarbeiter\p{L}*|Mitarbeitende|Beschäftigte)(?![\p{L}])/iu.test(b)
    ? b
    : t('setup.format.sizeBand', { range: b });
};

// A new cycle's suggested name: the month and year it is made ("December
// 2026 assessment"). Seasons depend on the hemisphere and "Autumn" in
// December reads wrong; a month is true everywhere.
export const defaultCycleName = (d: Date) =>
  t('setup.format.defaultCycleName', { month: d.toLocaleDateString(i18n.lang, { month: 'long' }), year: String(d.getFullYear()) });

// What participants see as the assessment's name (the server's
// participant_title): the cycle's title, or the organization's name and
// "customer-experience assessment"; never the internal cycle name.
export const participantTitle = (title: string | null | undefined, orgName: string) =>
  title?.trim() || (orgName ? t('setup.format.participantTitle', { org: orgName }) : t('setup.format.participantTitleNoOrg'));

// A moment with its time of day: "12 Jan 2027, 00:00" (a cycle opens and
// closes itself at that moment, not at some hour of that day).
export const dateTime = (millis: number | null | undefined) => (millis == null ? '–' : formatDateTime(millis));

// "3 and 7", "1, 3 and 7": a list of days in words.
export const andList = (items: (string | number)[]) =>
  items.length <= 1
    ? items.join('')
    : t('setup.format.andList', { head: items.slice(0, -1).join(', '), last: String(items[items.length - 1]) });

// "3, 7" typed by a person -> [3, 7]; null when something in it is not a
// whole number of days.
export const dayList = (text: string): number[] | null => {
  const parts = text.split(/[\s,;]+|\band\b|\bund\b/).filter(Boolean);
  return parts.every((d) => /^\d+$/.test(d)) ? parts.map(Number) : null;
};
