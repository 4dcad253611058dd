import { evaluate, type Lookup, type Value } from './exprEvaluator.ts';
import { type Expr, parseExpression } from './exprParser.ts';
import { expressionError } from './exprTokenizer.ts';

export type { Lookup, Value };

/** `${ … }` around an expression (docs/bpmn-conventions.md, Expressions); a bare expression is accepted too. */
const wrapped = /^\s*\$\{([\s\S]*)\}\s*$/;

export const isTemplate = (text: string): boolean => wrapped.test(text);

const cache = new Map<string, Expr>();

/** Parse once per distinct text (definitions are immutable, so the same texts come back at every step). */
export function compileExpression(text: string): Expr {
  let tree = cache.get(text);
  if (!tree) {
    const inner = wrapped.exec(text)?.[1] ?? text;
    if (!inner.trim()) throw expressionError(text, '表达式为空');
    tree = parseExpression(inner);
    if (cache.size > 5000) cache.clear();
    cache.set(text, tree);
  }
  return tree;
}

export function evaluateExpression(text: string, lookup: Lookup): Value {
  return evaluate(compileExpression(text), lookup, text);
}

/** A condition: must give a boolean (a number or text would hide a modelling mistake). */
export function evaluateCondition(text: string, lookup: Lookup): boolean {
  const v = evaluateExpression(text, lookup);
  if (typeof v !== 'boolean') throw expressionError(text, '条件的结果应为 true 或 false');
  return v;
}

/** An attribute that is either a literal (`zhangsan`) or an expression (`${starter}`). */
export function evaluateAttribute(text: string, lookup: Lookup): Value {
  return isTemplate(text) ? evaluateExpression(text, lookup) : text;
}
