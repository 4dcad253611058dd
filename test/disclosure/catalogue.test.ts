import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { catalogueColumns } from '../../src/disclosure/spreadsheet/catalogue.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { smallDistrict } from './fixtures.ts';

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('目录');
  ws.addRow(['拆迁安置领域基层政务公开标准目录']);
  ws.addRow([...catalogueColumns]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const good = [
  1,
  '房屋征收决定',
  '征收决定公告',
  '征收范围、征收补偿方案、行政复议和诉讼权利',
  '《国有土地上房屋征收与补偿条例》第十三条',
  '信息形成（或者变更）之日起20个工作日内',
  '区征收办',
  '政府网站、公示栏',
  '全社会',
  '主动',
  '县级',
  '执行',
  '01',
  '区征收办、各实施单位',
];

for (const backend of backendNames) {
  describe(`catalogues in and out as .xlsx [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('a catalogue with bad rows is refused as a whole, each bad row named; nothing is written', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const file = await workbook([
        good,
        [2, '', '', '', '', '', '区征收办', '', '全社会', '主动', '县级', '执行'],
        [3, '补偿决定', '', '', '', '', '区征收办', '', '所有人', '主动', '省级', '实施'],
      ]);
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/areas/${ids.areaId}/catalogue`,
        headers: admin.headers,
        payload: { contentBase64: file.toString('base64') },
      });
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json() as { code: string; fields: { field: string; reason: string }[] };
      assert.equal(body.code, 'import_failed');
      assert.deepEqual(
        body.fields.map((f) => f.field),
        ['row 4 / 一级事项', 'row 5 / 五公开阶段', 'row 5 / 公开对象', 'row 5 / 公开层级'],
      );
      const items = await ts.store.db
        .selectFrom('disclosure_items')
        .select('id')
        .where('area_id', '=', ids.areaId)
        .execute();
      assert.equal(items.length, 0);
    });

    test('a good catalogue imports whole and exports in the standard columns', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const second = [
        2,
        '房屋补偿决定',
        '',
        '补偿方式、补偿金额',
        '条例第二十六条',
        '作出决定后7日内',
        '瓯海区人民政府',
        '政府网站',
        '特定群体',
        '依申请',
        '县级',
        '结果',
        '',
        '',
      ];
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/areas/${ids.areaId}/catalogue`,
        headers: admin.headers,
        payload: { contentBase64: (await workbook([good, second])).toString('base64') },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { items: 2 });
      const listed = (
        (await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${ids.areaId}` })).json() as {
          items: {
            matter1: string;
            responsibleUnits: { id: string }[];
            responsibleNote: string | null;
            disclosingUnit: { id: string } | null;
            disclosingBodyText: string | null;
            subArea: { number: string } | null;
            methodName: string;
          }[];
        }
      ).items;
      assert.equal(listed[0]?.matter1, '房屋征收决定');
      assert.deepEqual(
        listed[0]?.responsibleUnits.map((u) => u.id),
        ['oh-zsb'],
      );
      assert.equal(listed[0]?.responsibleNote, '区征收办、各实施单位');
      assert.equal(listed[0]?.disclosingUnit?.id, 'oh-zsb');
      assert.equal(listed[0]?.subArea?.number, '01');
      assert.equal(
        listed[1]?.disclosingBodyText,
        '瓯海区人民政府',
        'a body that is not a unit name is kept as text',
      );
      assert.equal(listed[1]?.methodName, '依申请');

      const out = await app.inject({ method: 'GET', url: `/api/v1/areas/${ids.areaId}/catalogue.xlsx` });
      assert.equal(out.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(out.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1), [...catalogueColumns]);
      assert.equal(ws.getRow(3).getCell(2).value, '房屋征收决定');
      assert.equal(ws.getRow(4).getCell(12).value, '结果');
    });
  });
}
