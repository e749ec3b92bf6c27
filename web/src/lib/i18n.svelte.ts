// The application's own words in the reader's language (SPEC section 4.8).
// Every string a component shows comes from a message catalogue
// (src/messages/LANG/AREA.json: flat keys prefixed by the area), written in
// ICU MessageFormat so that plurals, numbers and dates follow the locale:
//
//   t('participant.progress', { answered: 3, total: 42 })
//   "{answered, number} of {total, number} answered"
//
// `npm run check:i18n` (scripts/check-i18n.mjs) fails on a text in a
// component that is not from a catalogue, a key missing from a language,
// placeholders that differ between languages and unused keys.
import { IntlMessageFormat } from 'intl-messageformat';
import enCommon from '../messages/en/common.json';
import enParticipant from '../messages/en/participant.json';
import deCommon from '../messages/de/common.json';
import deParticipant from '../messages/de/participant.json';

// Every key of every area, typed from the English catalogues (a type only:
// the facilitator's catalogues are not in the participant's download).
type English = typeof enCommon &
  typeof enParticipant &
  typeof import('../messages/en/setup.json') &
  typeof import('../messages/en/results.json');
export type MessageKey = keyof English;
type Catalogue = Partial<Record<MessageKey, string>>;

// The application's languages; English is complete by definition (keys are
// typed from it), the others are checked against it by check-i18n.mjs.
export const LANGUAGES = ['en', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];

// What a participant's phone loads: the shared words and the participant
// pages'. The facilitator's part adds its own areas (facilitatorMessages.ts)
// when it loads.
const catalogues: Record<Lang, Catalogue> = {
  en: { ...enCommon, ...enParticipant },
  de: { ...deCommon, ...deParticipant },
};

export function addCatalogues(more: Record<Lang, Catalogue>) {
  for (const lang of LANGUAGES) Object.assign(catalogues[lang], more[lang]);
  compiled.clear();
}

export const isLang = (value: unknown): value is Lang =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

// The best of our languages for a list of preferences such as
// navigator.languages (["de-AT", "en"]): the first whose primary tag we have.
export function bestLang(preferences: readonly string[] | undefined, fallback: Lang = 'en'): Lang {
  for (const preference of preferences ?? []) {
    const primary = preference.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  return fallback;
}

// The language shown now; reading it in a component makes the component
// follow a change.
export const i18n = $state<{ lang: Lang }>({ lang: bestLang(globalThis.navigator?.languages) });
// The page's language from the start, so that the browser hyphenates and
// reads it aloud in that language.
if (typeof document !== 'undefined') document.documentElement.lang = i18n.lang;

export function setLang(lang: Lang) {
  i18n.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

const compiled = new Map<string, IntlMessageFormat>();

// The message `key` in the current language with `values` filled in. A key
// missing from a language (check-i18n.mjs prevents it) falls back to English
// rather than showing the key.
export function t(key: MessageKey, values?: Record<string, string | number | Date | null | undefined>): string {
  const lang = i18n.lang;
  const cacheKey = `${lang}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    const source = catalogues[lang][key] ?? catalogues.en[key] ?? key;
    format = new IntlMessageFormat(source, lang);
    compiled.set(cacheKey, format);
  }
  const filled: Record<string, string | number | Date> = {};
  for (const [name, value] of Object.entries(values ?? {})) filled[name] = value ?? '';
  return String(format.format(filled));
}

// The name of a language in that language ("Deutsch"), for pickers.
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
    if (name) return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    // An invalid tag: show it as it is.
  }
  return lang;
}

// Numbers, percentages and dates as the reader writes them ("1.234,5" in German).
export const formatNumber = (value: number, options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(i18n.lang, options).format(value);

export const formatDate = (millis: number, options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' }) =>
  new Date(millis).toLocaleDateString(i18n.lang, options);

export const formatDateTime = (millis: number) =>
  new Date(millis).toLocaleString(i18n.lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

// Sorting names as the reader expects ("Ärzte" beside "Arzt", not after "Z").
export const compareText = (a: string, b: string) => a.localeCompare(b, i18n.lang);
