import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import type { RatingPosition } from './api';
import { ownText, placeText, positionTitle, ratingNumber, spreadText } from './ratings';

const position: RatingPosition = {
  metric: 'nps',
  name: 'Net Promoter Score',
  scale: { min: -100, max: 100 },
  year: 2025,
  own: { value: 30, period: '2025-11', respondents: 1250, source: 'Survey', synthetic: false },
  peers: 6,
  missing: 0,
  percentile: 50,
  median: 30,
  q1: 22.5,
  q3: 37.5,
  reason: null,
};

describe('customer rating words', () => {
  beforeEach(() => setLang('en'));

  it('prints whole numbers whole and others to one decimal', () => {
    expect(ratingNumber(30)).toBe('30');
    expect(ratingNumber(-12)).toBe('-12');
    expect(ratingNumber(4.25)).toBe('4.3');
  });
  it('names a named rating with its scale', () => {
    expect(positionTitle(position)).toBe('Net Promoter Score, 2025');
    expect(positionTitle({ ...position, metric: 'stars', name: 'Review stars', scale: { min: 1, max: 5 } })).toBe(
      'Review stars (1 to 5), 2025',
    );
  });
  it('says which figure of ours is used, or that there is none', () => {
    expect(ownText(position)).toBe('30 (2025-11, 1,250 customers)');
    expect(ownText({ ...position, own: null })).toBe('none for 2025');
  });
  it('gives the place and the spread only when shown', () => {
    expect(placeText(position)).toBe('ahead of 50% of peers (percentile rank 50, among 6 peers)');
    expect(spreadText(position)).toBe("Peers' median 30, middle half 22.5 to 37.5");
    const hidden = { ...position, peers: 4, missing: 1, percentile: null, median: null, q1: null, q3: null };
    expect(placeText(hidden)).toBeNull();
    expect(spreadText(hidden)).toBeNull();
  });
});
