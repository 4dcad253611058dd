import type { PublicRecordSummary } from '../disclosure/publicQueries.ts';
import { esc } from './html.ts';
import { site } from './site.ts';

/** An Atom 1.0 feed. Entry ids are tag URIs on the record id, which never changes once published. */
export function atomFeed(input: {
  base: string;
  path: string;
  title: string;
  items: PublicRecordSummary[];
}): string {
  const updated = input.items[0]?.publishedOn ?? '2024-01-01';
  const entries = input.items
    .map((r) => {
      const day = r.publishedOn ?? r.formedOn;
      return `<entry><id>tag:gongkai,2024:record:${esc(r.id)}</id><title>${esc(r.title)}</title><link rel="alternate" type="text/html" href="${esc(`${input.base}/records/${r.id}`)}"/><updated>${day}T00:00:00+08:00</updated>${
        r.disclosingBody ? `<author><name>${esc(r.disclosingBody.name)}</name></author>` : ''
      }${r.area ? `<category term="${esc(r.area.name)}"/>` : ''}<summary>${esc(r.summary ?? '')}</summary></entry>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>${esc(input.base + input.path)}</id><title>${esc(`${site.name} · ${input.title}`)}</title><link rel="self" href="${esc(input.base + input.path)}"/><link rel="alternate" type="text/html" href="${esc(`${input.base}/`)}"/><updated>${updated}T00:00:00+08:00</updated><author><name>${esc(site.sponsor)}</name></author>${entries}</feed>`;
}

/** CSV with a BOM, so that Excel opens the Chinese text as UTF-8; every field quoted. */
export function csv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    let s = String(v ?? '');
    // A cell starting with = + - @ would run as a formula in a spreadsheet: prefixed with a quote mark.
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
