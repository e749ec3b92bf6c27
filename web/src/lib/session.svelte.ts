// Who is signed in, loaded once and shared by every page, and the language
// they chose for the application's pages ('' = the browser's).
import { api, type SignedIn, type User } from './api';
import { bestLang, isLang, setLang } from './i18n.svelte';

export const session = $state<{ user: User | null; lang: SignedIn['lang']; loaded: boolean }>({
  user: null,
  lang: '',
  loaded: false,
});

// The language the pages show for a setting: the setting itself, else the
// browser's best.
export function applyLanguage(lang: string) {
  setLang(isLang(lang) ? lang : bestLang(globalThis.navigator?.languages));
}

export function signIn(signedIn: SignedIn | null) {
  session.user = signedIn?.user ?? null;
  session.lang = signedIn?.lang ?? '';
  if (signedIn) applyLanguage(signedIn.lang);
}

export async function loadSession() {
  signIn(await api.session());
  session.loaded = true;
}

// Stores the user's choice and shows the pages in it.
export async function chooseLanguage(lang: SignedIn['lang']) {
  session.lang = await api.setLanguage(lang);
  applyLanguage(session.lang);
}
