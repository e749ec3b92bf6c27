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

export const roleName = (role: string | null) =>
  role ? role.charAt(0).toUpperCase() + role.slice(1) : 'No role given';

export const ROLES = ['executive', 'manager', 'frontline', 'other'];

export const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

// "250–999" -> "250–999 employees"; a band that already names its unit
// ("250-999 employees.", "1,000+ Employees (group)", "50 staff") stays as it is.
export const sizeBand = (band: string) => {
  const b = band.trim();
  if (!b) return '';
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
