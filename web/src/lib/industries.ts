// The industries an organization chooses from. The stored value is the
// industry's English name (benchmark datasets compare it, whatever the
// language of the page that chose it); people read it in their language.
// A stored value not in the list is shown as it is.
import english from '../messages/en/setup.json';
import { t, type MessageKey } from './i18n.svelte';

const KEYS = [
  'setup.industry.retail' as MessageKey,
  'setup.industry.financial' as MessageKey,
  'setup.industry.insurance' as MessageKey,
  'setup.industry.telecommunications' as MessageKey,
  'setup.industry.utilities' as MessageKey,
  'setup.industry.healthcare' as MessageKey,
  'setup.industry.public' as MessageKey,
  'setup.industry.travel' as MessageKey,
  'setup.industry.manufacturing' as MessageKey,
  'setup.industry.software' as MessageKey,
  'setup.industry.professional' as MessageKey,
  'setup.industry.education' as MessageKey,
  'setup.industry.other' as MessageKey,
];

// The values stored, in the list's order.
export const INDUSTRIES: string[] = KEYS.map((key) => (english as Record<string, string>)[key]);

const byValue = new Map<string, MessageKey>(KEYS.map((key) => [(english as Record<string, string>)[key], key]));

export const industryName = (industry: string) => {
  const key = byValue.get(industry);
  return key ? t(key) : industry;
};
