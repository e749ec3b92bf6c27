import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { percentWord, tooFew } from './benchmark';

describe('benchmark words', () => {
  beforeEach(() => setLang('en'));

  it('rounds the percentile', () => {
    expect(percentWord(62.5)).toBe('ahead of 63% of peers');
    expect(percentWord(0)).toBe('ahead of 0% of peers');
  });
  it('says how many peers are missing', () => {
    expect(tooFew(4, 1, 5)).toBe('4 peers in this selection; 1 more needed (a comparison needs at least 5)');
    expect(tooFew(1, 4, 5)).toBe('1 peer in this selection; 4 more needed (a comparison needs at least 5)');
  });
});
