import { describe, expect, it } from 'vitest';
import { lineChartSvg, niceTicks } from './line-chart-svg';

describe('niceTicks', () => {
  it('gives round steps covering the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(1, 30, 5)).toEqual([10, 20, 30]);
    expect(niceTicks(0, 120, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('lineChartSvg', () => {
  it('draws each series as a line through its points at their x values, with a legend for several', () => {
    const svg = lineChartSvg(
      [
        { name: 'train', points: [{ x: 0, y: 0 }, { x: 10, y: 1 }] },
        { name: 'validation', points: [{ x: 5, y: 0.5 }] },
      ],
      { width: 154, height: 142, xLabel: 'minutes', yLabel: 'accuracy', xDomain: [0, 10], yDomain: [0, 1] },
    );
    // Plot area: x 44..144, y 8..108 (margins 44/10/8/34).
    expect(svg).toContain('data-series="train" points="44.0,108.0 144.0,8.0"');
    expect(svg).toContain('data-series="validation" points="94.0,58.0"');
    expect(svg).toContain('<circle cx="94" cy="58"');
    expect(svg).toContain('>minutes</text>');
    expect(svg).toContain('>validation</text>');
  });

  it('escapes labels', () => {
    expect(lineChartSvg([], { width: 100, height: 100, xLabel: '<b>', yLabel: 'y', xDomain: [0, 1], yDomain: [0, 1] })).toContain('&lt;b&gt;');
  });
});
