import { expressionError, type Token, tokenize } from './exprTokenizer.ts';

export type Literal = string | number | boolean | null;

export type Expr =
  | { kind: 'literal'; value: Literal }
  | { kind: 'variable'; name: string }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'member'; object: Expr; property: string }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/';

// Binding powers (Pratt): higher binds tighter. `in` sits with the comparisons, as in most languages.
const infix: Record<string, number> = {
  '||': 10,
  '&&': 20,
  '==': 30,
  '!=': 30,
  '<': 40,
  '<=': 40,
  '>': 40,
  '>=': 40,
  in: 40,
  '+': 50,
  '-': 50,
  '*': 60,
  '/': 60,
};
const prefixPower = 70;
const postfixPower = 80;
const maxDepth = 40;
export const maxExpressionLength = 2000;

/** Parse an expression (without `${ }`) with a Pratt parser into a tree that evaluate() walks. */
export function parseExpression(source: string): Expr {
  if (source.length > maxExpressionLength) throw expressionError(source.slice(0, 40), '表达式过长');
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;
  const expectOp = (op: string) => {
    const t = next();
    if (t.kind !== 'op' || t.text !== op)
      throw expressionError(source, `第 ${t.pos + 1} 个字符处应为“${op}”`);
  };

  const parse = (minPower: number, depth: number): Expr => {
    if (depth > maxDepth) throw expressionError(source, '表达式嵌套过深');
    let left = parsePrefix(depth);
    for (;;) {
      const t = peek();
      const isOp = t.kind === 'op' || (t.kind === 'name' && t.text === 'in');
      if (!isOp) break;
      if (t.kind === 'op' && (t.text === '.' || t.text === '[')) {
        if (postfixPower < minPower) break;
        next();
        if (t.text === '.') {
          const name = next();
          if (name.kind !== 'name') throw expressionError(source, '“.”后应为属性名');
          left = { kind: 'member', object: left, property: name.text };
        } else {
          const index = parse(0, depth + 1);
          expectOp(']');
          left = { kind: 'index', object: left, index };
        }
        continue;
      }
      const power = infix[t.text];
      if (power === undefined || power <= minPower) break;
      next();
      const right = parse(power, depth + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right };
    }
    return left;
  };

  const parsePrefix = (depth: number): Expr => {
    const t = next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: Number(t.text) };
      case 'string':
        return { kind: 'literal', value: t.text };
      case 'name':
        if (t.text === 'true') return { kind: 'literal', value: true };
        if (t.text === 'false') return { kind: 'literal', value: false };
        if (t.text === 'null') return { kind: 'literal', value: null };
        if (t.text === 'in') throw expressionError(source, '“in”前缺少左侧');
        return { kind: 'variable', name: t.text };
      case 'op':
        if (t.text === '(') {
          const inner = parse(0, depth + 1);
          expectOp(')');
          return inner;
        }
        if (t.text === '[') {
          const items: Expr[] = [];
          if (!(peek().kind === 'op' && peek().text === ']')) {
            for (;;) {
              items.push(parse(0, depth + 1));
              const sep = next();
              if (sep.kind === 'op' && sep.text === ']') break;
              if (!(sep.kind === 'op' && sep.text === ','))
                throw expressionError(source, '列表中应为“,”或“]”');
            }
          } else next();
          return { kind: 'list', items };
        }
        if (t.text === '!' || t.text === '-') {
          return { kind: 'unary', op: t.text, operand: parse(prefixPower, depth + 1) };
        }
        throw expressionError(source, `第 ${t.pos + 1} 个字符处不应出现“${t.text}”`);
      case 'end':
        throw expressionError(source, '表达式不完整');
    }
  };

  const tree = parse(0, 0);
  const rest = peek();
  if (rest.kind !== 'end') throw expressionError(source, `第 ${rest.pos + 1} 个字符处多余“${rest.text}”`);
  return tree;
}
