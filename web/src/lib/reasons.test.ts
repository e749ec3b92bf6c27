import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { hiddenBecause, hiddenList, rollupNote } from './reasons';

describe('hidden reasons', () => {
  beforeEach(() => setLang('en'));

  const digital = { name: 'Digital', suppressed: true, hidden: { code: 'fewer_than_k' as const, k: 3, imported_excluded: false } };
  const retail = {
    name: 'Retail stores',
    suppressed: true,
    hidden: {
      code: 'reveals_smaller_group' as const,
      k: 3,
      group: { kind: 'unit' as const, value: 'Digital', name: 'Digital', phrase: 'a group of fewer than 3 people in Digital' },
    },
  };

  it('says fewer than k only of a group that is below k', () => {
    expect(hiddenBecause(digital, 3)).toBe('Hidden: fewer than 3 people answered');
  });

  it('names the smaller group a large enough group would reveal by subtraction', () => {
    const text = hiddenBecause(retail, 3);
    expect(text).toContain('large enough');
    expect(text).toContain('fewer than 3 people in Digital');
    expect(text).toContain('subtraction');
    expect(text).not.toMatch(/fewer than 3 people answered/);
  });

  it('lists each hidden group with its own reason', () => {
    const shown = { name: 'Online', suppressed: false };
    const lines = hiddenList([digital, retail, shown], 3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Digital: fewer than 3 people answered');
    expect(lines[1]).toMatch(/^Retail stores: large enough, but showing it would let the answers of a group of fewer than 3 people in Digital/);
  });

  it('keeps the sentence of an older report without a structured reason', () => {
    expect(hiddenBecause({ name: 'x', suppressed: true, reason: 'fewer than 3 respondents answered; hidden to protect anonymity' }, 3)).toBe(
      'Hidden: fewer than 3 respondents answered',
    );
  });
});

describe('roll-up note', () => {
  it("claims the weakest unit's stage only when a unit gave it", () => {
    expect(rollupNote({ applied: 'weakest_unit', unit: 'Retail' })).toBe("; the weakest unit's stage (Retail)");
    expect(rollupNote({ applied: 'pooled_no_unit_shown', unit: null })).toBe("; everyone's answers pooled, since no unit can be shown");
    expect(rollupNote({ applied: 'pooled', unit: null })).toBe('');
    expect(rollupNote(undefined)).toBe('');
  });
});
