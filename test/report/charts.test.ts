/** The load charts are scaled to the data: a target far above the curves is named, not drawn as the top of the axis. */
import { describe, expect, it } from 'vitest';
import { chart } from '../../src/report/svg.js';
import { formatDuration } from '../../src/model/format.js';

const ms = 1e6;
const points = Array.from({ length: 60 }, (_, t): [number, number] => [t, (18 + (t % 7)) * ms]);

function ticks(svg: string): string[] {
  return [...svg.matchAll(/<text class="tick" x="\d+" y="[\d.]+" dy="3" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('latency chart scale', () => {
  const spec = (fit?: 'data') => ({
    title: 'latency',
    x: { label: 's', format: String },
    y: { label: 'latency', format: formatDuration },
    lines: [{ name: 'p50', points }],
    yRules: [
      { value: 300 * ms, label: 'p99 < 300 ms', cls: 'target' },
      { value: 26 * ms, label: 'p50 < 26 ms', cls: 'target' },
    ],
    ...(fit ? { fit: fit } : {}),
  });

  it('fits the data: the axis ends near the curves, the far target is named at the top edge', () => {
    const svg = chart(spec('data'));
    const top = ticks(svg).at(-1)!;
    expect(top).toMatch(/^\d+(\.\d+)? ms$/);
    expect(parseFloat(top)).toBeLessThan(40);
    expect(svg).toContain('↑ p99 &lt; 300 ms (off the chart)');
    // the near one is a line at its height
    expect(svg).toMatch(/<g class="rule target"><line [^>]*\/><text [^>]*>p50 &lt; 26 ms<\/text>/);
    expect(svg).not.toMatch(/<g class="rule target"><line [^>]*\/><text [^>]*>p99 &lt; 300 ms/);
  });

  it('by default the axis still reaches every rule (histograms and percentile curves)', () => {
    const svg = chart(spec());
    expect(parseFloat(ticks(svg).at(-1)!)).toBeGreaterThanOrEqual(300);
    expect(svg).not.toContain('off the chart');
  });
});
