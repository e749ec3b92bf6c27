import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { setLang } from './i18n.svelte';
import { participantMessage, roomInLanguage } from './participantApi';

afterEach(() => setLang('en'));

const scale = (labels: string[], dont_know: string) => ({ min: 1, max: 2, labels, dont_know });
const room = {
  workshop_id: 'w',
  cycle_name: 'Acme customer-experience assessment',
  status: 'open' as const,
  round: 1,
  step: 0,
  steps: 2,
  min_group_size: 3,
  scale: scale(['No', 'Yes'], "Don't know"),
  current: [{ id: 'C2', text: 'We care.', competency: 'Care', revealed: true }],
  lang: 'en',
  languages: [
    { lang: 'en', name: 'English' },
    { lang: 'de', name: 'Deutsch' },
  ],
  translations: {
    de: {
      cycle_name: 'Customer-Experience-Einschätzung bei Acme',
      scale: scale(['Nein', 'Ja'], 'Weiß nicht'),
      current: [{ id: 'C2', text: 'Wir kümmern uns.', competency: 'Fürsorge', revealed: true }],
    },
  },
};

describe('roomInLanguage', () => {
  it('shows the room in the seat language, keeping its state', () => {
    const de = roomInLanguage(room, 'de');
    expect(de.cycle_name).toBe('Customer-Experience-Einschätzung bei Acme');
    expect(de.scale.labels).toEqual(['Nein', 'Ja']);
    expect(de.current).toEqual([{ id: 'C2', text: 'Wir kümmern uns.', competency: 'Fürsorge', revealed: true }]);
    expect(de.step).toBe(0);
  });
  it('leaves the room as it is in its own language or one it does not carry', () => {
    expect(roomInLanguage(room, 'en')).toBe(room);
    expect(roomInLanguage(room, 'fr')).toBe(room);
  });
  it('keeps a statement the translation lacks', () => {
    const extra = { ...room, current: [...room.current, { id: 'C3', text: 'More.', competency: 'Care', revealed: false }] };
    expect(roomInLanguage(extra, 'de').current.map((s) => s.text)).toEqual(['Wir kümmern uns.', 'More.']);
  });
});

describe('participantMessage', () => {
  it("says the server's refusals in the participant's language", () => {
    const refusal = new ApiError(422, 'wrong_code', 'that resume code does not match this link');
    expect(participantMessage(refusal)).toBe('That resume code does not match this link.');
    setLang('de');
    expect(participantMessage(refusal)).toBe('Dieser Fortsetzungscode passt nicht zu diesem Link.');
    expect(participantMessage(new ApiError(429, 'too_many', 'wrong codes; wait 5 s'))).toBe(
      'Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es dann erneut.',
    );
  });
  it('shows a refusal it does not know as the server words it', () => {
    expect(participantMessage(new ApiError(422, 'invalid', 'answers: unknown statement'))).toBe('Answers: unknown statement');
  });
});
