import { describe, expect, it } from 'vitest';
import { escapeMarkup, lineChartSvg, niceTicks } from './line-chart-svg';

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

  it('escapes & < > " and \' in text and attributes', () => {
    expect(escapeMarkup(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
    expect(lineChartSvg([], { width: 100, height: 100, xLabel: '<b>', yLabel: 'y', xDomain: [0, 1], yDomain: [0, 1] })).toContain('&lt;b&gt;');
  });

  it('names, labels and colours with quotes stay text when the markup goes through innerHTML', () => {
    const evil = `x" onmouseover="alert(1)`;
    const single = `y' onload='alert(2)`;
    const svg = lineChartSvg(
      [
        { name: evil, points: [{ x: 0, y: 0 }], color: `red" onclick="alert(3)` },
        { name: `<img src=x onerror=alert(4)>`, points: [{ x: 1, y: 1 }] },
      ],
      { width: 200, height: 120, xLabel: single, yLabel: `"quoted" & <tagged>`, xDomain: [0, 1], yDomain: [0, 1] },
    );
    const host = document.createElement('div');
    host.innerHTML = svg;
    const all = [...host.querySelectorAll('*')];
    // No element gained an attribute from the text, and no element was made from it.
    expect(all.flatMap((element) => [...element.attributes].map((attribute) => attribute.name)).filter((name) => name.startsWith('on'))).toEqual([]);
    expect(host.querySelector('img')).toBeNull();
    expect(all.map((element) => element.tagName.toLowerCase()).every((tag) => ['svg', 'line', 'text', 'rect', 'polyline', 'circle'].includes(tag))).toBe(true);
    // The text comes back exactly as given.
    const series = [...host.querySelectorAll('polyline')];
    expect(series.map((line) => line.getAttribute('data-series'))).toEqual([evil, '<img src=x onerror=alert(4)>']);
    expect(series[0].getAttribute('stroke')).toBe(`red" onclick="alert(3)`);
    const texts = [...host.querySelectorAll('text')].map((text) => text.textContent);
    expect(texts).toEqual(expect.arrayContaining([single, `"quoted" & <tagged>`, evil, '<img src=x onerror=alert(4)>']));
    expect(host.querySelector('svg')!.getAttribute('aria-label')).toBe(`"quoted" & <tagged> by ${single}`);
  });
});
