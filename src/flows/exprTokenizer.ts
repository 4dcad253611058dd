import { AppError } from '../errors.ts';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator or name text; a string literal's decoded value; a number's source text. */
  text: string;
  pos: number;
}

export const expressionError = (source: string, reason: string) =>
  new AppError('expression_invalid', `表达式有误：${reason}（${source}）`, 400, [
    { field: 'expression', reason },
  ]);

// Longest first, so that `<=` is not read as `<` then `=`.
const operators = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
];
const nameStart = /[\p{L}_$]/u;
const namePart = /[\p{L}\p{N}_$]/u;

/** Split an expression (without its `${ }`) into tokens. Refuses any character outside the language. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i));
      const text = m?.[0] ?? c;
      tokens.push({ kind: 'number', text, pos: i });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw expressionError(source, '字符串缺少结束引号');
        const d = source[j] as string;
        if (d === '\\') {
          const next = source[j + 1];
          if (next === undefined) throw expressionError(source, '字符串缺少结束引号');
          value += next === 'n' ? '\n' : next;
          j += 2;
          continue;
        }
        if (d === c) break;
        value += d;
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    if (nameStart.test(c)) {
      let j = i + 1;
      while (j < source.length && namePart.test(source[j] as string)) j++;
      tokens.push({ kind: 'name', text: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    const op = operators.find((o) => source.startsWith(o, i));
    if (!op) throw expressionError(source, `不认识的字符“${c}”`);
    tokens.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', pos: source.length });
  return tokens;
}
