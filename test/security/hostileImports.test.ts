import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { formatIndexNumber, parseIndexNumber } from '../../src/disclosure/indexNumber.ts';
import { AppError } from '../../src/errors.ts';
import { guardXml } from '../../src/flows/xmlGuard.ts';
import { checkZip } from '../../src/registry/spreadsheet/zipGuard.ts';
import { Sm4Cipher, setDataCipher } from '../../src/security/crypto.ts';
import { hostileString, runs } from './hostileArbitraries.ts';

setDataCipher(new Sm4Cipher(randomBytes(32)));

/**
 * Hostile input to the import parsers of other modules (issue 7 item 9; 等保 2.0 入侵防范: 应提供数据有效性检验功能): property tests with 100,000 cases each
 * against the pure functions that meet untrusted input first, then a sample through HTTP. Nothing may throw
 * anything but a clear refusal, and nothing may crash the server.
 */
describe("hostile input to other modules' parsers, 100,000 cases each", () => {
  test('index numbers (disclosure): parsing never throws, and what parses formats back to itself', () => {
    const indexLike = fc.oneof(
      hostileString,
      fc
        .tuple(
          fc.stringMatching(/^\d{6}$/),
          fc.stringMatching(/^[A-Z]{2,4}\d{0,2}$/),
          fc.constantFrom('A', 'B', 'C', 'D', 'E', 'J', 'Z'),
          fc.stringMatching(/^\d{1,3}$/),
          fc.stringMatching(/^\d{4}$/),
          fc.constantFrom('Z', 'Y', 'B', 'F', 'X'),
        )
        .map((p) => p.join('-')),
      fc
        .tuple(
          fc.stringMatching(/^[0-9A-Z]{9,18}$/),
          fc.stringMatching(/^\d{4}$/),
          fc.stringMatching(/^\d{5}$/),
        )
        .map(([o, y, s]) => `${o}/${y}-${s}`),
    );
    fc.assert(
      fc.property(indexLike, (text) => {
        const parts = parseIndexNumber(text);
        if (parts) assert.deepEqual(parseIndexNumber(formatIndexNumber(parts)), parts);
      }),
      runs,
    );
  });

  test('BPMN import guard: hostile XML (entities, DOCTYPE, deep nesting, garbage) gets a 400 refusal or passes, never a crash', () => {
    const xmlBits = fc.constantFrom(
      '<?xml version="1.0"?>',
      '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
      '<!ENTITY lol "lol">',
      '<!doctype html>',
      '&a;',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '<bpmn:definitions>',
      '</bpmn:definitions>',
      '<x>',
      '</x>',
      '<?pi',
      '?>',
      '<',
      '>',
      '<!SYSTEM "file:///etc/passwd">',
    );
    const deep = fc.integer({ min: 0, max: 200 }).map((d) => `${'<a>'.repeat(d)}${'</a>'.repeat(d)}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            xmlBits,
            deep,
            hostileString.filter((s) => s.length < 100),
          ),
          { maxLength: 10 },
        ),
        (parts) => {
          const xml = parts.join('');
          try {
            guardXml(xml);
            assert.ok(!/<!\s*(DOCTYPE|ENTITY)/i.test(xml), 'a DOCTYPE never passes');
          } catch (e) {
            assert.ok(e instanceof AppError && e.status === 400, String(e));
          }
        },
      ),
      runs,
    );
  });

  test('spreadsheet import guard: random and mutated zips are judged, never crash', () => {
    const entry = (name: string, data: Buffer) => {
      const compressed = deflateRawSync(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(Buffer.byteLength(name), 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(compressed.length, 20);
      central.writeUInt32LE(data.length, 24);
      central.writeUInt16LE(Buffer.byteLength(name), 28);
      return { local: Buffer.concat([local, Buffer.from(name), compressed]), central, name };
    };
    const e = entry('xl/workbook.xml', Buffer.from('<workbook/>'.repeat(20)));
    const cd = Buffer.concat([e.central, Buffer.from(e.name)]);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(e.local.length, 16);
    const valid = Buffer.concat([e.local, cd, eocd]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          fc
            .array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 })
            .map((muts) => {
              const b = Buffer.from(valid);
              for (const [at, v] of muts) b[at] = v;
              return b;
            }),
        ),
        (buf) => {
          const verdict = checkZip(buf);
          assert.ok(verdict === null || typeof verdict === 'string');
        },
      ),
      runs,
    );
  });
});
