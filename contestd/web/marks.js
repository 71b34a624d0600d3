// Marks as the server reads them (core/decimal.c, store_scores.c): decimals
// with at most two places, in hundredths as integers (never binary floating
// point), checked against the criterion's max; a judgement is 0, 1, 2 or 3.

// Full-width digits and point, as a Chinese input method may type them.
function halfWidth(text) {
  return text.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0E\u3002]/g, '.');
}

// "7.5" -> 750; null when text is not a mark like 7 or 7.5.
export function hundredths(text) {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const frac = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  return Number(m[1]) * 100 + frac;
}

// 750 -> "7.50", as the server shows marks.
export function formatMark(c) {
  const frac = String(c % 100).padStart(2, '0');
  return `${Math.floor(c / 100)}.${frac}`;
}

export const METHOD_NAMES = {
  measurement: '测量',
  deduction: '扣分',
  mean: '平均',
  trimmed: '去高低平均',
  median: '中位数',
  judgement: '评价 0–3',
};

// Checks what a judge typed for criterion {max, method}. Returns
// {ok: true, value: "7.5", c: 750} or {ok: false, message}.
export function checkMark(input, criterion) {
  const text = halfWidth(String(input).trim());
  if (text === '') return { ok: false, empty: true, message: '请输入分数' };
  const c = hundredths(text);
  if (c === null) {
    if (/^\d+\.\d{3,}$/.test(text)) return { ok: false, message: `“${text}”超过两位小数` };
    return { ok: false, message: `“${text}”不是分数，请输入如 7 或 7.5 的数` };
  }
  if (criterion.method === 'judgement') {
    if (c % 100 !== 0 || c > 300) return { ok: false, message: `评价项只能是 0、1、2、3，不能是 ${text}` };
    return { ok: true, value: String(c / 100), c };
  }
  const max = hundredths(criterion.max);
  if (max !== null && c > max) return { ok: false, message: `${text} 超过满分 ${criterion.max}` };
  return { ok: true, value: text, c };
}
