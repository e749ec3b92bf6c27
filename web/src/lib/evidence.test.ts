import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { indicativeSentence, siloMeaning, spreadSentence } from './evidence';

describe('the evidence rule and the silo score in words', () => {
  beforeEach(() => setLang('en'));

  it('names the steps with too few answers', () => {
    const steps = [
      { number: 2, name: 'Explore', indicative: false, counted: 4, statements: 4 },
      { number: 3, name: 'Mobilize', indicative: true, counted: 1, statements: 4 },
    ];
    const text = indicativeSentence(2, steps, 3);
    expect(text).toMatch(/^A statement counts towards a stage only with at least 3 answers/);
    expect(text).toContain('at stage 3 Mobilize only 1 of its 4 statements had that many');
    expect(text).toMatch(/Read stage 2 as an indication, not a verdict\.$/);
    expect(text).not.toContain('Explore');
  });

  it('says what the silo score means against the threshold', () => {
    expect(siloMeaning({ score: 72, statements: ['a', 'b'] }, 60)).toMatch(/2 statements .*At or above the threshold of 60/);
    expect(siloMeaning({ score: 41, statements: ['a'] }, 60)).toMatch(/1 statement .*Below the threshold of 60: departments working apart/);
    expect(siloMeaning({ score: null, statements: ['a'] }, 60)).toMatch(/too few people answered any of them to count/);
    expect(siloMeaning({ score: 50, statements: ['a', 'b', 'c'], counted: 2 }, 60)).toMatch(
      /rests on the 2 of them enough people answered to count\. Below/,
    );
    expect(siloMeaning({ score: 50, statements: ['a', 'b'], counted: 2 }, 60)).not.toMatch(/rests on/);
    expect(spreadSentence(null)).toBe('');
    expect(spreadSentence(17.6)).toMatch(/^The units shown lie 18 points apart/);
  });
});
