import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyLanguage, session, signIn } from './session.svelte';
import { i18n, setLang } from './i18n.svelte';

describe('the user language setting', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setLang('en');
  });

  it("shows the pages in the user's language, else the browser's", () => {
    vi.stubGlobal('navigator', { languages: ['de-CH', 'en'] });
    signIn({ user: { id: 'u', email: 'a@example.com', name: 'Ärmin', is_admin: false }, lang: 'en' });
    expect(session.lang).toBe('en');
    expect(i18n.lang).toBe('en'); // the setting wins over the browser
    applyLanguage('');
    expect(i18n.lang).toBe('de'); // no setting: the browser's
    vi.stubGlobal('navigator', { languages: ['fr-FR'] });
    applyLanguage('');
    expect(i18n.lang).toBe('en'); // a browser language cxm does not speak: English
    applyLanguage('de');
    expect(i18n.lang).toBe('de');
    applyLanguage('xx');
    expect(i18n.lang).toBe('en');
  });

  it('signing out leaves the language as it was', () => {
    setLang('de');
    signIn(null);
    expect(session.user).toBeNull();
    expect(i18n.lang).toBe('de');
  });
});
