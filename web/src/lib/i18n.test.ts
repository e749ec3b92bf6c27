import { describe, expect, it } from 'vitest';
import { bestLang, compareText, formatNumber, languageName, setLang, t } from './i18n.svelte';

describe('i18n', () => {
  it('picks the first of our languages from the browser preferences', () => {
    expect(bestLang(['de-AT', 'en-GB'])).toBe('de');
    expect(bestLang(['fr-FR', 'en-US'])).toBe('en');
    expect(bestLang(['fr-FR'], 'de')).toBe('de');
    expect(bestLang(undefined)).toBe('en');
  });

  it('gives the message in the current language', () => {
    setLang('de');
    expect(t('common.reload')).toBe('Seite neu laden');
    setLang('en');
    expect(t('common.reload')).toBe('Reload the page');
  });

  it('writes numbers and sorts names as the reader does', () => {
    setLang('de');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(['Zander', 'Äpfel', 'Bär', 'Apfel'].sort(compareText)).toEqual(['Apfel', 'Äpfel', 'Bär', 'Zander']);
    setLang('en');
    expect(formatNumber(1234.5)).toBe('1,234.5');
  });

  it('names a language in that language', () => {
    expect(languageName('de')).toBe('Deutsch');
    expect(languageName('en')).toBe('English');
  });
});
