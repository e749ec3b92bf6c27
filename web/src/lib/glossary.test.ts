import { describe, expect, it } from 'vitest';
import { splitTerms } from './glossary';

const glossary = [
  { term: 'customer journey', definition: 'steps' },
  { term: 'journey', definition: 'a trip' },
  { term: 'voice of the customer', definition: 'a programme' },
  { term: 'touchpoint', definition: 'a moment' },
];

describe('splitTerms', () => {
  it('marks whole-word terms in any case, with plurals', () => {
    expect(splitTerms('Touchpoints and a touchpoint.', glossary, [3])).toEqual([
      { text: 'Touchpoints', term: 3 },
      { text: ' and a ', term: null },
      { text: 'touchpoint', term: 3 },
      { text: '.', term: null },
    ]);
    expect(splitTerms('retouchpoint touchpointless', glossary, [3])).toEqual([
      { text: 'retouchpoint touchpointless', term: null },
    ]);
  });

  it('prefers the longest term and lets a space match a hyphen', () => {
    expect(splitTerms('Our customer journeys, one journey', glossary, [0, 1])).toEqual([
      { text: 'Our ', term: null },
      { text: 'customer journeys', term: 0 },
      { text: ', one ', term: null },
      { text: 'journey', term: 1 },
    ]);
    expect(splitTerms('a voice-of-the-customer programme', glossary, [2])[1]).toEqual({
      text: 'voice-of-the-customer',
      term: 2,
    });
  });

  it('leaves text alone when the term is unknown or absent', () => {
    expect(splitTerms('plain text', glossary, [9])).toEqual([{ text: 'plain text', term: null }]);
    expect(splitTerms('éjourney', glossary, [1])).toEqual([{ text: 'éjourney', term: null }]);
  });
});
