import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DecryptionError,
  loadDataKey,
  openText,
  Sm4Cipher,
  sealText,
  sm4EncryptBlock,
} from '../../src/security/crypto.ts';
import {
  decryptPersonal,
  encryptPersonal,
  maskIdNumber,
  maskName,
  maskPhone,
  personalIndex,
} from '../../src/security/personalData.ts';
import { hotp, totp } from '../../src/security/totp.ts';

describe('SM4 / SM3 and personal data (等保 数据保密性, 个人信息保护)', () => {
  test('SM4 matches the GB/T 32907-2016 known answers (1 and 1,000,000 encryptions)', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    assert.equal(sm4EncryptBlock(key, key).toString('hex'), '681edf34d206965e86b3e94f536e4246');
    // one ECB cipher object, fed block by block: the same as a million single encryptions, but fast
    const ecb = createCipheriv('sm4-ecb', key, null);
    ecb.setAutoPadding(false);
    let block = Buffer.from(key);
    for (let i = 0; i < 1_000_000; i++) block = ecb.update(block);
    assert.equal(block.toString('hex'), '595298c7c6fd271f0402f804c33d3f66');
  });

  test('SM3 matches the GB/T 32905-2016 known answer', () => {
    assert.equal(
      createHash('sm3').update('abc').digest('hex'),
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  test('TOTP and HOTP match RFC 4226 and RFC 6238 test values', () => {
    const secret = Buffer.from('12345678901234567890');
    assert.deepEqual(
      [0, 1, 2, 9].map((c) => hotp(secret, c)),
      ['755224', '287082', '359152', '520489'],
    );
    assert.equal(totp(secret, new Date(59_000), 8), '94287082');
    assert.equal(totp(secret, new Date(1111111109_000), 8), '07081804');
    assert.equal(totp(secret, new Date(20000000000_000), 8), '65353130');
  });

  test('encrypted values round-trip, differ every time, and refuse tampering and other keys', () => {
    const cipher = new Sm4Cipher(randomBytes(32));
    const a = encryptPersonal('330304199001011234', cipher)!;
    const b = encryptPersonal('330304199001011234', cipher)!;
    assert.notEqual(a, b, 'a random IV per value');
    assert.ok(!a.includes('330304'));
    assert.equal(decryptPersonal(a, cipher), '330304199001011234');
    assert.equal(decryptPersonal(null, cipher), null);
    assert.equal(
      decryptPersonal('13800001111', cipher),
      '13800001111',
      'rows from before encryption stay readable',
    );
    const raw = Buffer.from(a.slice(a.lastIndexOf(':') + 1), 'base64');
    raw[20] = raw[20]! ^ 1;
    const tampered = `${a.slice(0, a.lastIndexOf(':') + 1)}${raw.toString('base64')}`;
    assert.throws(() => decryptPersonal(tampered, cipher), DecryptionError);
    assert.throws(() => openText(sealText('x', cipher), new Sm4Cipher(randomBytes(32))), DecryptionError);
    assert.equal(personalIndex('330304 19900101123x', cipher), personalIndex('33030419900101123X', cipher));
  });

  test('masks show only what a caller needs', () => {
    assert.equal(maskIdNumber('330304199001011234'), '33*************234');
    assert.equal(maskPhone('13800001111'), '138****1111');
    assert.equal(maskPhone('0577-88001234'), '*********1234');
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(maskIdNumber(null), null);
  });

  test('the key comes from the environment, else a file, else is generated into a 0600 file with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-key-'));
    try {
      const hex = randomBytes(32).toString('hex');
      assert.equal(loadDataKey({ dataKey: hex, dataKeyFile: join(dir, 'none') }).toString('hex'), hex);
      const warnings: string[] = [];
      const file = join(dir, 'data', 'gongkai-data.key');
      const generated = loadDataKey({ dataKey: undefined, dataKeyFile: file }, (m) => warnings.push(m));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /back it up/);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8').trim(), generated.toString('hex'));
      const again = loadDataKey({ dataKey: undefined, dataKeyFile: file }, (m) => warnings.push(m));
      assert.deepEqual(again, generated, 'the same key on the next start');
      assert.equal(warnings.length, 1);
      assert.throws(() => loadDataKey({ dataKey: 'too-short', dataKeyFile: file }), /32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
