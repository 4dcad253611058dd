import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Loading the dictionary takes a few hundred milliseconds and some 50 MB: once per process, on first use.
let jieba: Jieba | null = null;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** A word worth indexing or searching: it holds a letter or a digit (not spaces or punctuation). */
const wordLike = /[\p{L}\p{N}]/u;

/**
 * The words of a text for the index, space-separated. Search mode also emits the shorter words inside long ones
 * (危房改造 → 危房, 改造, 危房改造; 保障性住房 → 保障, 保障性, 住房), so a query for either finds the text.
 */
export function indexWords(text: string): string {
  if (!text) return '';
  return segmenter()
    .cutForSearch(text.normalize('NFKC'), true)
    .filter((w) => wordLike.test(w))
    .map((w) => w.toLowerCase())
    .join(' ');
}

/**
 * The words of a query, every one of which a hit must hold. Precise mode, because the index already holds the
 * shorter words of each long one; duplicates dropped, at most 16 words so a pasted page cannot make a huge query.
 */
export function queryWords(query: string): string[] {
  const words = segmenter()
    .cut(query.normalize('NFKC').slice(0, 200), true)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w && wordLike.test(w));
  return [...new Set(words)].slice(0, 16);
}
