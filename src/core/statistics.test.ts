import { describe, expect, it } from 'vitest';
import { median } from './statistics';

describe('median', () => {
  it('is the middle value, or the mean of the middle two, whatever the order given', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});
