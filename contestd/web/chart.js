// Small charts drawn as inline SVG by the page itself (no chart library,
// nothing from outside): the chief judge's view of how each judge scores
// compared with the panel. Colours come from console.css (classes), sizes
// from the viewBox, so the chart scales with its container.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const ROW = 34; // height of a judge's row
const TOP = 34; // the legend above the rows

// A diverging bar chart, one row per judge: to the left how often the
// judge's value was below every other judge's (lowest), to the right how
// often above (highest), both out of the values that could be compared;
// on the right how many discrepancies the judge's values made.
// judges: [{code, name, compared, highest, lowest, discrepancies}]; width:
// the width in CSS pixels it will be shown at (so that its text is the
// size of the page's on a phone too). Returns an <svg> element.
export function judgeBiasChart(judges, width = 640) {
  const WIDTH = Math.max(300, Math.round(width));
  const LABEL = Math.round(Math.min(150, WIDTH * 0.3)); // the judges' names on the left
  const RIGHT = Math.round(Math.min(96, WIDTH * 0.2)); // the discrepancy counts on the right
  const height = TOP + Math.max(1, judges.length) * ROW + 8;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart', role: 'img',
    'aria-labelledby': 'bias-chart-title' });
  root.append(svg('title', { id: 'bias-chart-title' },
    '各裁判评分偏高、偏低次数（与其他裁判相比）及造成分歧的次数'));
  const half = (WIDTH - LABEL - RIGHT) / 2 - 6;
  const mid = LABEL + 6 + half;
  const most = Math.max(1, ...judges.map((j) => Math.max(j.highest, j.lowest)));
  const scale = (n) => (n / most) * (half - 28);

  root.append(svg('text', { x: mid - 8, y: 18, class: 'chart-legend', 'text-anchor': 'end' }, '◀ 偏低次数'));
  root.append(svg('text', { x: mid + 8, y: 18, class: 'chart-legend' }, '偏高次数 ▶'));
  root.append(svg('text', { x: WIDTH - 4, y: 18, class: 'chart-legend', 'text-anchor': 'end' }, '造成分歧'));
  root.append(svg('line', { x1: mid, x2: mid, y1: TOP - 6, y2: height - 4, class: 'chart-axis' }));

  if (!judges.length)
    root.append(svg('text', { x: mid, y: TOP + ROW / 2, class: 'chart-note', 'text-anchor': 'middle' }, '暂无可比较的分数'));
  judges.forEach((j, i) => {
    const y = TOP + i * ROW;
    const g = svg('g', { class: 'chart-row', 'data-judge': j.code });
    g.append(svg('title', {}, `${j.code} ${j.name}：比较 ${j.compared} 次，偏低 ${j.lowest} 次，偏高 ${j.highest} 次，造成分歧 ${j.discrepancies} 次`));
    if (i % 2) g.append(svg('rect', { x: 0, y, width: WIDTH, height: ROW, class: 'chart-stripe' }));
    g.append(svg('text', { x: 4, y: y + ROW / 2 + 5, class: 'chart-label' }, `${j.code} ${j.name}`));
    const low = scale(j.lowest);
    const high = scale(j.highest);
    g.append(svg('rect', { x: mid - low, y: y + 7, width: low, height: ROW - 14, class: 'chart-low' }));
    g.append(svg('rect', { x: mid, y: y + 7, width: high, height: ROW - 14, class: 'chart-high' }));
    g.append(svg('text', { x: mid - low - 4, y: y + ROW / 2 + 5, class: 'chart-value', 'text-anchor': 'end' }, j.lowest));
    g.append(svg('text', { x: mid + high + 4, y: y + ROW / 2 + 5, class: 'chart-value' }, j.highest));
    g.append(svg('text', { x: WIDTH - 4, y: y + ROW / 2 + 5, 'text-anchor': 'end',
      class: j.discrepancies ? 'chart-value chart-bad' : 'chart-value' }, j.discrepancies));
    root.append(g);
  });
  return root;
}
