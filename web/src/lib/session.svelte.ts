// Who is signed in, loaded once and shared by every page.
import { api, type User } from './api';

export const session = $state<{ user: User | null; loaded: boolean }>({ user: null, loaded: false });

export async function loadSession() {
  session.user = await api.session();
  session.loaded = true;
}
