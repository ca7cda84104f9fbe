/** The flame graph in the HTML report: escaped names, pruned frames, hover titles, no script. */
import { describe, expect, it } from 'vitest';
import type { CpuProfile } from '../../src/model/profile.js';
import { profileSection } from '../../src/report/flame.js';

const frame = (functionName: string, lineNumber = 0) => ({ functionName, scriptId: '1', url: 'file:///app/x.js', lineNumber, columnNumber: 0 });
// 1000 samples: <evil&"name'> 990, tiny 4 (0.4%: under the 0.5% drawn), (root) 6.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { ...frame('(root)'), url: '' }, children: [2, 3] },
    { id: 2, callFrame: frame(`<evil&"name'>`, 4) },
    { id: 3, callFrame: frame('tiny', 8) },
  ],
  startTime: 0,
  endTime: 100_000,
  samples: [...Array(990).fill(2), ...Array(4).fill(3), ...Array(6).fill(1)],
};

describe('profileSection', () => {
  const html = profileSection('s/<case>', profile);
  it('escapes every function name, in frames, titles and tables', () => {
    expect(html).not.toContain(`<evil`);
    expect(html).toContain('&lt;evil&amp;&quot;name&#39;&gt; (x.js:5)');
    expect(html).toContain('s/&lt;case&gt;: CPU flame graph');
  });
  it('prunes frames under 0.5% from the graph but keeps them in the tables', () => {
    const svg = html.match(/<svg class="flame"[\s\S]*?<\/svg>/)![0];
    expect(svg).not.toContain('tiny');
    expect(svg.match(/<rect /g)).toHaveLength(2); // (root) and the hot frame
    expect(svg).toMatch(/<title>&lt;evil&amp;&quot;name&#39;&gt; \(x\.js:5\) — total 99(\.0)?%/);
    expect(html.split('</svg>')[1]).toContain('tiny (x.js:9)');
  });
});
