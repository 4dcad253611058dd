/**
 * A normalised form of "the information wanted", so that the same request worded with other spaces or
 * punctuation is recognised (Art. 36 (六) repeated requests; Art. 44 requests by many applicants).
 */
export function fingerprint(description: string, documentNumber: string | null): string {
  const doc = documentNumber?.replace(/[\s〔〕[\]()（）]/g, '').toLowerCase();
  if (doc) return `doc:${doc}`;
  return `text:${description
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .replace(/^(申请|要求|请求)?(公开|提供|获取)/u, '')}`;
}

/** Character-bigram Jaccard similarity of two fingerprints (1 = identical). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const grams = (s: string) => {
    const set = new Set<string>();
    const chars = [...s];
    for (let i = 0; i + 1 < chars.length; i++) set.add(chars[i] + (chars[i + 1] ?? ''));
    return set;
  };
  const ga = grams(a);
  const gb = grams(b);
  if (!ga.size || !gb.size) return 0;
  let both = 0;
  for (const g of ga) if (gb.has(g)) both++;
  return both / (ga.size + gb.size - both);
}
