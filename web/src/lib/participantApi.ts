// What the participant's pages ask the server in their language (SPEC
// section 4.8): the questionnaire and a workshop seat in the link's
// language, the participant's choice kept with the link, and the server's
// refusals in the participant's words.
import { ApiError } from './api';
import type { components } from './api-schema';
import { isLang, setLang, t, type Lang, type MessageKey } from './i18n.svelte';

type Schemas = components['schemas'];
export type OfferedLanguage = Schemas['OfferedLanguage'];
type Room = Schemas['WorkshopRoom'];

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', t('participant.error.network'));
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: reported below */
  }
  if (!response.ok) {
    const error = (parsed as Partial<Schemas['Error']> | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_' + response.status, error?.message ?? response.statusText);
  }
  return parsed as T;
}

const path = (token: string, rest = '', lang?: string) =>
  `/api/r/${encodeURIComponent(token)}${rest}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`;

// The questionnaire in `lang` (without it: the link's stored choice, else
// the browser's languages, else the cycle's default).
export const questionnaireIn = (token: string, lang?: string) => request<Schemas['Questionnaire']>('GET', path(token, '', lang));

// A workshop seat, chosen the same way.
export const seatIn = (token: string, lang?: string) => request<Schemas['WorkshopSeat']>('GET', path(token, '/workshop', lang));

// Keeps the participant's language with the link.
export const chooseLanguage = (token: string, lang: string) =>
  request<Schemas['ParticipantLanguage']>('PUT', path(token, '/language'), { lang });

// The application's words follow the language the server answered in (when
// the application has it; else they stay as they are).
export function followLanguage(lang: string) {
  if (isLang(lang)) setLang(lang as Lang);
}

// A refusal of the server in the participant's words; other errors as they are.
const refusals: Record<string, MessageKey> = {
  network: 'participant.error.network',
  not_found: 'participant.error.notFound',
  already_submitted: 'participant.error.alreadySubmitted',
  revoked: 'participant.error.revoked',
  not_claimed: 'participant.error.notClaimed',
  claimed: 'participant.error.notClaimed',
  unclaimed: 'participant.error.unclaimed',
  cycle_not_open: 'participant.error.cycleNotOpen',
  wrong_code: 'participant.error.wrongResumeCode',
  locked: 'participant.error.locked',
  workshop_link: 'participant.error.workshopLink',
  workshop_ended: 'participant.error.workshopEnded',
  not_current: 'participant.error.notCurrent',
  revealed: 'participant.error.revealed',
  not_in_first_round: 'participant.error.notInFirstRound',
};

export function participantMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return t('participant.error.tooMany');
    const key = refusals[error.code];
    if (key) return t(key);
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  return error instanceof Error ? error.message : String(error);
}

// For <FormError>: the same refusal, as an Error in the participant's words.
export const participantError = (error: unknown) => (error == null ? null : new Error(participantMessage(error)));

// A workshop room in `lang`: the room's stream comes in the cycle's default
// language with the words of its other languages beside it (a seat's own
// GET in the seat's). A language the room does not carry leaves it as it is.
export function roomInLanguage<R extends Room>(room: R, lang: string): R {
  if (room.lang === lang) return room;
  const words = room.translations[lang];
  if (!words) return room;
  const texts = new Map(words.current.map((statement) => [statement.id, statement]));
  return {
    ...room,
    cycle_name: words.cycle_name,
    scale: words.scale,
    current: room.current.map((statement) => {
      const translated = texts.get(statement.id);
      return translated ? { ...statement, text: translated.text, competency: translated.competency } : statement;
    }),
  };
}
