import type { Expr, Literal } from './exprParser.ts';
import { expressionError } from './exprTokenizer.ts';

/** A value the language handles: scalars, lists, and plain records (read-only). */
export type Value = Literal | Value[] | { readonly [key: string]: Value };

/** Variables by name; an unknown name reads as null, so a condition over a not-yet-set variable is false. */
export type Lookup = (name: string) => Value | undefined;

const forbiddenProperties = new Set(['__proto__', 'prototype', 'constructor']);

const typeName = (v: Value): string =>
  v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'record' : typeof v;

function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i] as Value));
  return a === b;
}

function isRecord(v: Value): v is { readonly [key: string]: Value } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Walk the tree. Strict typing, no coercion: `==` compares values (lists element by element), ordering needs two
 * numbers or two strings, `&&`/`||`/`!` need booleans, arithmetic needs numbers (`+` also joins strings). Nothing
 * here can call a function or reach an object's prototype, which is the point of not using eval (issue 3 item 2).
 */
export function evaluate(tree: Expr, lookup: Lookup, source = ''): Value {
  const fail = (reason: string) => expressionError(source, reason);
  const ev = (e: Expr): Value => {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'variable': {
        const v = lookup(e.name);
        return v === undefined ? null : v;
      }
      case 'list':
        return e.items.map(ev);
      case 'member': {
        const o = ev(e.object);
        if (forbiddenProperties.has(e.property)) throw fail(`不允许访问属性 ${e.property}`);
        if (e.property === 'length' && (Array.isArray(o) || typeof o === 'string')) return o.length;
        if (isRecord(o)) return Object.hasOwn(o, e.property) ? (o[e.property] as Value) : null;
        if (o === null) return null;
        throw fail(`${typeName(o)} 没有属性 ${e.property}`);
      }
      case 'index': {
        const o = ev(e.object);
        const i = ev(e.index);
        if (Array.isArray(o) && typeof i === 'number') return Number.isInteger(i) ? (o[i] ?? null) : null;
        if (isRecord(o) && typeof i === 'string') {
          if (forbiddenProperties.has(i)) throw fail(`不允许访问属性 ${i}`);
          return Object.hasOwn(o, i) ? (o[i] as Value) : null;
        }
        if (o === null) return null;
        throw fail(`不能用 ${typeName(i)} 取 ${typeName(o)} 的元素`);
      }
      case 'unary': {
        const v = ev(e.operand);
        if (e.op === '!') {
          if (typeof v !== 'boolean') throw fail(`“!”需要布尔值，得到 ${typeName(v)}`);
          return !v;
        }
        if (typeof v !== 'number') throw fail(`“-”需要数字，得到 ${typeName(v)}`);
        return -v;
      }
      case 'binary': {
        if (e.op === '&&' || e.op === '||') {
          const l = ev(e.left);
          if (typeof l !== 'boolean') throw fail(`“${e.op}”需要布尔值，得到 ${typeName(l)}`);
          if (e.op === '&&' ? !l : l) return l;
          const r = ev(e.right);
          if (typeof r !== 'boolean') throw fail(`“${e.op}”需要布尔值，得到 ${typeName(r)}`);
          return r;
        }
        const l = ev(e.left);
        const r = ev(e.right);
        switch (e.op) {
          case '==':
            return equal(l, r);
          case '!=':
            return !equal(l, r);
          case 'in':
            if (!Array.isArray(r)) throw fail(`“in”右侧需要列表，得到 ${typeName(r)}`);
            return r.some((x) => equal(l, x));
          case '<':
          case '<=':
          case '>':
          case '>=': {
            const comparable =
              (typeof l === 'number' && typeof r === 'number') ||
              (typeof l === 'string' && typeof r === 'string');
            // a comparison with a variable that is not set yet is false rather than an error: the path is not taken
            if (l === null || r === null) return false;
            if (!comparable) throw fail(`不能比较 ${typeName(l)} 与 ${typeName(r)}`);
            const a = l as number | string;
            const b = r as number | string;
            return e.op === '<' ? a < b : e.op === '<=' ? a <= b : e.op === '>' ? a > b : a >= b;
          }
          case '+':
            if (typeof l === 'string' || typeof r === 'string') {
              if (Array.isArray(l) || Array.isArray(r) || isRecord(l) || isRecord(r))
                throw fail('不能拼接列表');
              return `${l ?? ''}${r ?? ''}`;
            }
            if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
            if (typeof l !== 'number' || typeof r !== 'number')
              throw fail(`“+”需要数字，得到 ${typeName(l)}、${typeName(r)}`);
            return l + r;
          default: {
            if (typeof l !== 'number' || typeof r !== 'number')
              throw fail(`“${e.op}”需要数字，得到 ${typeName(l)}、${typeName(r)}`);
            if (e.op === '-') return l - r;
            if (e.op === '*') return l * r;
            if (r === 0) throw fail('除数为零');
            return l / r;
          }
        }
      }
    }
  };
  return ev(tree);
}
