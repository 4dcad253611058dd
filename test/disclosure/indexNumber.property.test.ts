import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  abbreviationFromName,
  formatIndexNumber,
  type IndexParts,
  isValidIndexNumber,
  parseIndexNumber,
  serialScope,
} from '../../src/disclosure/indexNumber.ts';
import {
  idCheckCharacter,
  isValidIdNumber,
  luhnValid,
  maskText,
  scanText,
} from '../../src/disclosure/privacy.ts';
import { attributes, stages } from '../../src/disclosure/tables.ts';

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const seedParts: fc.Arbitrary<IndexParts> = fc.record({
  scheme: fc.constant('seed' as const),
  region: digits(6),
  abbreviation: fc.stringMatching(/^[A-Z]{2,10}$/),
  subArea: digits(2),
  stage: fc.constantFrom(...stages),
  duty: digits(3),
  serial: fc.integer({ min: 1, max: 9999 }),
  attribute: fc.constantFrom(...attributes),
});
const nationalParts: fc.Arbitrary<IndexParts> = fc.record({
  scheme: fc.constant('national' as const),
  orgCode: fc.oneof(fc.stringMatching(/^[0-9A-Z]{9}$/), fc.stringMatching(/^[0-9A-Z]{18}$/)),
  year: fc.integer({ min: 1990, max: 2100 }),
  serial: fc.integer({ min: 1, max: 99999 }),
});

describe('index numbers: parse, format, validate (pure)', () => {
  test('the seed example formats and parses', () => {
    const parts: IndexParts = {
      scheme: 'seed',
      region: '330304',
      abbreviation: 'CQAZ',
      subArea: '01',
      stage: 'decision',
      duty: '001',
      serial: 1,
      attribute: 'onRequest',
    };
    assert.equal(formatIndexNumber(parts), '330304-CQAZ01-A-001-0001-Y');
    assert.deepEqual(parseIndexNumber('330304-CQAZ01-A-001-0001-Y'), parts);
    assert.deepEqual(parseIndexNumber('113708280043326001/2024-02411'), {
      scheme: 'national',
      orgCode: '113708280043326001',
      year: 2024,
      serial: 2411,
    });
  });

  test('round trip: parse(format(p)) = p, for both schemes', () => {
    fc.assert(
      fc.property(fc.oneof(seedParts, nationalParts), (p) => {
        const text = formatIndexNumber(p);
        // fast-check's records have no prototype; compare plain copies
        assert.deepEqual(parseIndexNumber(text), { ...p });
        assert.ok(isValidIndexNumber(text, p.scheme));
        assert.equal(formatIndexNumber(parseIndexNumber(text)!), text);
      }),
    );
  });

  test('the serial scope ignores the serial and the attribute letter', () => {
    fc.assert(
      fc.property(seedParts, fc.integer({ min: 1, max: 9999 }), fc.constantFrom(...attributes), (p, s, a) => {
        if (p.scheme !== 'seed') return;
        assert.equal(serialScope({ ...p, serial: s, attribute: a }), serialScope(p));
      }),
    );
  });

  test('malformed numbers are rejected', () => {
    for (const bad of [
      '',
      '330304-CQAZ01-A-001-0000-Y',
      '330304-CQAZ01-F-001-0001-Y',
      '330304-CQAZ01-A-001-0001-X',
      '33030-CQAZ01-A-001-0001-Y',
      '330304-cqaz01-A-001-0001-Y',
      '330304-C01-A-001-0001-Y',
      '330304-CQAZ1-A-001-0001-Y',
      '330304-CQAZ01-A-01-0001-Y',
      '330304-CQAZ01-A-001-00001-Y',
      ' 330304-CQAZ01-A-001-0001-Y',
      '113708280043326001/2024-2411',
      '113708280043326001/2024-00000',
      '11370828004332600/2024-02411',
    ])
      assert.equal(parseIndexNumber(bad), null, bad);
    // any single-character corruption of a valid number either still parses to a valid number or is rejected,
    // and never parses to the same parts under a different text
    fc.assert(
      fc.property(
        fc.oneof(seedParts, nationalParts),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (p, at, ch) => {
          const text = formatIndexNumber(p);
          const i = at % text.length;
          const mutated = text.slice(0, i) + ch + text.slice(i + 1);
          const parsed = parseIndexNumber(mutated);
          if (parsed) assert.equal(formatIndexNumber(parsed), mutated);
        },
      ),
    );
    assert.throws(() =>
      formatIndexNumber({
        scheme: 'seed',
        region: '330304',
        abbreviation: 'CQAZ',
        subArea: '01',
        stage: 'decision',
        duty: '001',
        serial: 10000,
        attribute: 'proactive',
      }),
    );
  });

  test('area abbreviations are the pinyin initials', () => {
    assert.equal(abbreviationFromName('拆迁安置'), 'CQAZ');
    assert.equal(abbreviationFromName('保障性住房'), 'BZXZF');
    assert.equal(abbreviationFromName('重大建设项目'), 'ZDJSXM');
  });
});

describe('privacy scan (pure)', () => {
  const idArb = fc
    .tuple(
      digits(6),
      fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
      digits(3),
    )
    .map(([r, d, s]) => {
      const first17 = r + d.toISOString().slice(0, 10).replace(/-/g, '') + s;
      return first17 + idCheckCharacter(first17);
    });

  test('a valid 18-digit ID number is found and masked; a wrong check digit is not an ID number', () => {
    fc.assert(
      fc.property(idArb, (id) => {
        assert.ok(isValidIdNumber(id));
        const text = `申请人身份证号${id}，特此公示。`;
        const found = scanText(text);
        assert.equal(found.length, 1);
        assert.equal(found[0]!.kind, 'idNumber');
        const masked = maskText(text);
        assert.ok(!masked.includes(id));
        assert.ok(masked.includes(`${id.slice(0, 2)}*************${id.slice(-3)}`));
        assert.deepEqual(scanText(masked), [], 'masking leaves nothing to find');
        const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
        if (!isValidIdNumber(wrong)) assert.ok(scanText(wrong).every((f) => f.kind !== 'idNumber'));
      }),
    );
  });

  test('mobile numbers are masked as 138****1234', () => {
    fc.assert(
      fc.property(fc.constantFrom('3', '5', '7', '8', '9'), digits(9), (second, rest) => {
        const m = `1${second}${rest}`;
        const out = maskText(`联系电话：${m}。`);
        assert.equal(out, `联系电话：${m.slice(0, 3)}****${m.slice(-4)}。`);
      }),
    );
  });

  test('bank cards pass Luhn to count', () => {
    const card = '4111111111111111';
    assert.ok(luhnValid(card));
    assert.equal(maskText(`卡号 ${card}`), '卡号 4111********1111');
    assert.equal(scanText('卡号 4111111111111112').length, 0, 'fails Luhn: not a card');
  });
});
