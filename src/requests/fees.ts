/**
 * 信息处理费 (条例 Art. 42; 《政府信息公开信息处理费管理办法》国办函〔2020〕109号): an optional module, off by
 * default. The agency charges either by count (按件) or by quantity (按量), never both for one request.
 */
export type FeeBasis =
  /** 按件: this is the applicant's nth request in the calendar month. */
  | { method: 'perRequest'; nthThisMonth: number }
  /** 按量: pages (or the equivalent) of information provided for this request. */
  | { method: 'perPage'; pages: number };

export interface Fee {
  amount: number;
  explanation: string;
}

/**
 * 按件: up to 10 requests a month free; the 11th–30th 100 元 each; above 30, every further block of 10 costs
 * 100 元 more per request (31–40: 200 元, 41–50: 300 元 …).
 */
function perRequest(n: number): Fee {
  if (!Number.isInteger(n) || n < 1) return { amount: 0, explanation: '件数不正确' };
  if (n <= 10) return { amount: 0, explanation: `本月第${n}件，10件以下（含10件）不收费` };
  if (n <= 30) return { amount: 100, explanation: `本月第${n}件，11—30件的部分每件100元` };
  const tier = Math.ceil((n - 30) / 10);
  return {
    amount: 100 + tier * 100,
    explanation: `本月第${n}件，30件以上每增加10件每件加收100元，本件${100 + tier * 100}元`,
  };
}

/**
 * 按量 (progressive, "的部分"): 1–30 pages free; 31–100 10 元 a page; 101–200 20 元 a page; above 200 40 元 a page.
 */
function perPage(pages: number): Fee {
  if (!Number.isInteger(pages) || pages < 0) return { amount: 0, explanation: '页数不正确' };
  const bands: [number, number, number][] = [
    [30, 100, 10],
    [100, 200, 20],
    [200, Number.POSITIVE_INFINITY, 40],
  ];
  let amount = 0;
  const parts: string[] = [];
  for (const [lo, hi, price] of bands) {
    const n = Math.max(0, Math.min(pages, hi) - lo);
    if (n > 0) {
      amount += n * price;
      parts.push(`${n}页×${price}元`);
    }
  }
  return {
    amount,
    explanation: amount
      ? `共${pages}页，30页以下不收费，${parts.join('＋')}＝${amount}元`
      : `共${pages}页，30页以下（含30页）不收费`,
  };
}

export function computeFee(basis: FeeBasis): Fee {
  return basis.method === 'perRequest' ? perRequest(basis.nthThisMonth) : perPage(basis.pages);
}
