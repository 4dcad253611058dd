import { esc } from '../portal/html.ts';

/**
 * Highlight `words` in `text`: the text is cut into plain and matching pieces on the raw string, each piece is
 * escaped, and only then are the matching ones wrapped in <mark> — so no user text is ever read as markup and a
 * word such as "amp" cannot match inside an entity. With `maxLength`, a window around the first match is kept.
 */
export function highlight(text: string, words: string[], maxLength?: number): string {
  const lower = text.toLowerCase();
  // Longer words first, so 危房改造 is marked whole rather than as 危房 + 改造.
  const sorted = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length);
  const marks: [number, number][] = [];
  for (const w of sorted) {
    for (let at = lower.indexOf(w); at !== -1; at = lower.indexOf(w, at + w.length)) {
      const end = at + w.length;
      if (!marks.some(([s, e]) => at < e && end > s)) marks.push([at, end]);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);

  let from = 0;
  let to = text.length;
  if (maxLength !== undefined && text.length > maxLength) {
    const first = marks[0]?.[0] ?? 0;
    from = Math.max(0, Math.min(first - Math.floor(maxLength / 4), text.length - maxLength));
    to = from + maxLength;
  }
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const [s, e] of marks) {
    if (e <= from || s < at) continue;
    if (s >= to) break;
    out += `${esc(text.slice(at, s))}<mark>${esc(text.slice(s, Math.min(e, to)))}</mark>`;
    at = Math.min(e, to);
  }
  out += esc(text.slice(at, to));
  if (to < text.length) out += '…';
  return out;
}
