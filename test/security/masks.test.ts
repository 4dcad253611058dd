import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/context.ts';
import { recordCreator, requireRecord } from '../../src/disclosure/commands/recordCreator.ts';
import { recordMasker } from '../../src/disclosure/commands/recordMasker.ts';
import { privacyFindings } from '../../src/disclosure/commands/recordReview.ts';
import * as disclosurePrivacy from '../../src/disclosure/privacy.ts';
import { maskFreeText } from '../../src/requests/letters.ts';
import * as requestsPersonal from '../../src/requests/personalData.ts';
import {
  idCheckCharacter,
  maskBankCard,
  maskIdNumber,
  maskMobile,
  maskName,
  maskPhone,
  maskText,
} from '../../src/security/masks.ts';
import * as securityPersonal from '../../src/security/personalData.ts';
import { smallDistrict } from '../disclosure/fixtures.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

const first17 = '35010219900101112';
const id = first17 + idCheckCharacter(first17);

describe('one masking rule (rules.md §7)', () => {
  test('the common masks', () => {
    assert.equal(maskIdNumber(id), `35*************${id.slice(-3)}`);
    assert.equal(maskIdNumber(null), null);
    assert.equal(maskMobile('13812341234'), '138****1234');
    assert.equal(maskPhone('13812341234'), '138****1234');
    assert.equal(maskPhone('0577-88001234'), '*********1234');
    assert.equal(maskBankCard('6222 0212 3456 7890 128'), '6222 **** **** ***0 128');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(
      maskText(`身份证号${id}，电话13812341234。`),
      `身份证号35*************${id.slice(-3)}，电话138****1234。`,
    );
  });

  test('every module masks the same way', () => {
    for (const f of [
      disclosurePrivacy.maskIdNumber,
      requestsPersonal.maskIdNumber,
      securityPersonal.maskIdNumber,
    ])
      assert.equal(f(id), maskIdNumber(id));
    for (const f of [requestsPersonal.maskPhone, securityPersonal.maskPhone])
      assert.equal(f('13812341234'), '138****1234');
    assert.equal(disclosurePrivacy.maskText(`号码${id}`), `号码${maskIdNumber(id)}`);
    assert.equal(maskFreeText(`号码${id}`), `号码${maskIdNumber(id)}`);
    // A mistyped ID number in a letter is still masked for the public; the publication scan needs the checksum.
    const wrong = first17 + (id.endsWith('0') ? '1' : '0');
    assert.equal(maskFreeText(wrong), maskIdNumber(wrong));
    assert.equal(disclosurePrivacy.scanText(wrong).length, 0);
  });
});

for (const backend of backendNames) {
  describe(`masks as a user sees them [${backend}]`, () => {
    let ts: TestStore;
    before(async () => {
      ts = await freshStore(backend);
    });
    after(async () => {
      await ts.dispose();
    });

    test('the publication check names the ID number as 35*************123 and the mask action writes the same', async () => {
      const ids = await smallDistrict(ts.ctx);
      const rec = await inTransaction(ts.ctx, (c) =>
        recordCreator(c, {
          title: '房屋征收补偿公示',
          summary: '补偿结果公示。',
          origin: 'produced',
          formedOn: '2024-03-01',
          attribute: 'proactive',
          body: `被征收人王某某（身份证号 ${id}，电话 13812341234）。`,
          disclosingUnitId: 'oh-zsb',
          areaId: ids.areaId,
          subAreaId: ids.subAreaId,
          stage: 'result',
          dutyId: ids.dutyId,
        }),
      );
      const findings = await privacyFindings(ts.store.db, await requireRecord(ts.store.db, rec.id));
      assert.ok(findings.some((f) => f.reason.includes(`35*************${id.slice(-3)}`)));
      assert.ok(findings.some((f) => f.reason.includes('138****1234')));
      await inTransaction(ts.ctx, (c) => recordMasker(c, rec.id));
      const row = await requireRecord(ts.store.db, rec.id);
      assert.equal(row.body, `被征收人王某某（身份证号 35*************${id.slice(-3)}，电话 138****1234）。`);
    });
  });
}
