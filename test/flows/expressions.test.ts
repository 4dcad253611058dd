import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { evaluateCondition, evaluateExpression } from '../../src/flows/expressions.ts';

const vars: Record<string, unknown> = {
  outcome: '符合',
  amount: 1200,
  tags: ['a', 'b'],
  flag: true,
  nrOfInstances: 3,
  nrOfCompletedInstances: 2,
};
const lookup = (name: string) => vars[name] as never;
const ev = (s: string) => evaluateExpression(s, lookup);

describe('expression language', () => {
  test('literals, variables, comparison, logic, arithmetic, membership, precedence', () => {
    assert.equal(ev("${outcome == '符合'}"), true);
    assert.equal(ev("${outcome != '符合' || amount > 1000}"), true);
    assert.equal(ev('${amount >= 1200 && !flag}'), false);
    assert.equal(ev('${1 + 2 * 3 - 4 / 2}'), 5);
    assert.equal(ev('${(1 + 2) * 3}'), 9);
    assert.equal(ev("${'b' in tags}"), true);
    assert.equal(ev("${'c' in ['a', 'b']}"), false);
    assert.equal(ev('${nrOfCompletedInstances / nrOfInstances >= 2 / 3}'), true);
    assert.equal(ev('${tags.length}'), 2);
    assert.equal(ev('${tags[1]}'), 'b');
    assert.equal(ev("${'总额' + amount}"), '总额1200');
    assert.equal(ev('${-amount < 0}'), true);
    assert.equal(ev('${missing == null}'), true, 'an unset variable reads as null');
    assert.equal(
      evaluateCondition('${missing > 3}', lookup),
      false,
      'comparing with an unset variable is false',
    );
  });

  test('no way out of the language: calls, prototypes and unknown characters are refused', () => {
    for (const bad of [
      "${constructor.constructor('return process')()}",
      '${tags.__proto__}',
      '${process.exit(1)}',
      '${a = 1}',
      '${`x`}',
      '${1 +}',
      '${(1}',
      "${'open}",
      '${tags; 1}',
    ]) {
      assert.throws(() => ev(bad), { code: 'expression_invalid' }, bad);
    }
    assert.throws(() => ev('${1 / 0}'), { code: 'expression_invalid' });
    assert.throws(() => ev("${1 < 'a'}"), { code: 'expression_invalid' });
    assert.throws(() => evaluateCondition('${amount}', lookup), { code: 'expression_invalid' });
    assert.throws(() => ev(`\${${'('.repeat(100)}1${')'.repeat(100)}}`), { code: 'expression_invalid' });
  });

  test('property: integer arithmetic and comparisons agree with JavaScript', () => {
    const op = fc.constantFrom('+', '-', '*', '<', '<=', '>', '>=', '==', '!=');
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), op, fc.integer({ min: -1e6, max: 1e6 }), (a, o, b) => {
        const expected: Record<string, number | boolean> = {
          '+': a + b,
          '-': a - b,
          '*': a * b,
          '<': a < b,
          '<=': a <= b,
          '>': a > b,
          '>=': a >= b,
          '==': a === b,
          '!=': a !== b,
        };
        const got = evaluateExpression(`\${x ${o} y}`, (n) => (n === 'x' ? a : n === 'y' ? b : undefined));
        return got === expected[o];
      }),
      { numRuns: 300 },
    );
  });

  test('property: any input either evaluates or fails with expression_invalid, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          evaluateExpression(`\${${s}}`, lookup);
        } catch (err) {
          return (err as { code?: string }).code === 'expression_invalid';
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
