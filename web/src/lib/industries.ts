// The industries an organization chooses from. The stored value is the
// industry's English name (benchmark datasets compare it, whatever the
// language of the page that chose it); people read it in their language.
// A stored value not in the list is shown as it is.
import english from '../messages/en/setup.json';
import { t, type MessageKey } from './i18n.svelte';

const KEYS = [
  'setup.industry.retail',
  'setup.industry.financial',
  'setup.industry.insurance',
  'setup.industry.telecommunications',
  'setup.industry.utilities',
  'setup.industry.healthcare',
  'setup.industry.public',
  'setup.industry.travel',
  'setup.industry.manufacturing',
  'setup.industry.software',
  'setup.industry.professional',
  'setup.industry.education',
  'setup.industry.other',
] as const satisfies readonly MessageKey[];

// The values stored, in the list's order.
export const INDUSTRIES: string[] = KEYS.map((key) => english[key]);

const byValue = new Map<string, MessageKey>(KEYS.map((key) => [english[key], key]));

export const industryName = (industry: string) => {
  const key = byValue.get(industry);
  return key ? t(key) : industry;
};
