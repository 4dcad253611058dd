import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { personCreator } from '../../src/registry/commands/personCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { dutyTables } from '../../src/registry/dutyTables.ts';
import { listUnitRows, unitViews } from '../../src/registry/queries.ts';
import { importDutyTable } from '../../src/registry/spreadsheet/dutyTableImport.ts';
import { registerDutyTableUpload, xlsxContentType } from '../../src/registry/spreadsheet/routes.ts';
import type { Db } from '../../src/store/store.ts';
import { databaseUrlOf } from '../security/support.ts';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { zip } from '../support/zip.ts';

const columns = [
  '序号',
  '岗位名称',
  '工作事项',
  '岗位职能描述',
  '岗位责任描述',
  '工作流程',
  '牵头负责人',
  '辅助人员',
  '备注',
];

/** What a reader of the table sees of a unit's subtree: positions in printed order with their items, people by name. */
async function tableOf(db: Db, unitId: string) {
  const positions = dutyTables(await unitViews(db, await listUnitRows(db, { root: unitId }))).flatMap(
    (t) => t.positions,
  );
  return positions.map((p) => ({
    name: p.row.name,
    category: p.row.category,
    number: p.row.number,
    kind: p.row.kind,
    items: p.workItems.map((w) => ({
      number: w.row.number,
      title: w.row.title,
      functions: w.functions,
      responsibilities: w.responsibilities,
      flowCodes: w.flowCodes,
      lead: w.lead?.name ?? null,
      assistants: w.assistants.map((a) => a.name),
      note: w.row.note,
    })),
  }));
}

async function counts(db: Db) {
  const n = async (t: 'work_items' | 'people' | 'positions' | 'work_item_functions') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    workItems: await n('work_items'),
    people: await n('people'),
    positions: await n('positions'),
    functions: await n('work_item_functions'),
  };
}

async function xlsx(rows: (string | number | Date | null)[][], merges: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  for (const m of merges) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function loadWorkbook(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(buf).buffer);
  return wb.worksheets[0]!;
}

interface ImportFailure {
  code: string;
  message: string;
  fields: { field: string; reason: string }[];
  rows: { row: number; column: string; reason: string }[];
}

for (const backend of backendNames) {
  describe(`定岗定责定流程表 spreadsheet [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let admin: Session;
    let exported: Buffer;
    before(async () => {
      ts = await freshStore(backend);
      assert.equal((await loadDemo(ts.ctx, 'Demo-pass-2026')).loaded, true);
      app = await testApp(ts);
      registerDutyTableUpload(app);
      admin = await signIn(app, ts, 'sysadmin');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const upload = (unitId: string, body: Buffer, session: Session = admin, type = xlsxContentType) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/units/${unitId}/duty-table`,
        headers: { ...session.headers, 'content-type': type },
        payload: body,
      });

    test('exports 山亭区住建局 as the printed table: title, header, merged positions, A4 landscape', async () => {
      const anon = await app.inject({ method: 'GET', url: '/api/v1/units/st-zjj/duty-table.xlsx' });
      assert.equal(anon.statusCode, 401);
      const staff = await signIn(app, ts, 'staff');
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/units/st-zjj/duty-table.xlsx',
        headers: staff.headers,
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], xlsxContentType);
      const disposition = String(res.headers['content-disposition']);
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
      assert.equal(decodeURIComponent(encoded ?? ''), '山亭区住房和城乡建设局定岗定责定流程表.xlsx');
      assert.match(disposition, /^attachment; filename="[\x20-\x7e]+\.xlsx"/);
      exported = res.rawPayload;

      const ws = await loadWorkbook(exported);
      assert.equal(ws.getCell('A1').value, '山亭区住房和城乡建设局定岗定责定流程表');
      assert.deepEqual(
        columns.map((_, i) => ws.getRow(2).getCell(i + 1).value),
        columns,
      );
      assert.equal(ws.pageSetup.orientation, 'landscape');
      assert.equal(ws.pageSetup.paperSize, 9);
      assert.equal(ws.pageSetup.printTitlesRow, '2:2');
      assert.ok((ws.getColumn(4).width ?? 0) > 30, 'the description columns are wide');

      // 综合管理岗 has eight items: one row each, its 序号 and 岗位名称 merged over the eight rows.
      let first = 0;
      ws.eachRow((row, n) => {
        if (!first && String(row.getCell(2).value).includes('综合管理岗')) first = n;
      });
      assert.ok(first > 2);
      const merges = (ws.model as { merges: string[] }).merges;
      assert.ok(merges.includes(`A${first}:A${first + 7}`), `序号 merged: ${merges.join(' ')}`);
      assert.ok(merges.includes(`B${first}:B${first + 7}`), '岗位名称 merged');
      const row = ws.getRow(first);
      assert.equal(row.getCell(2).value, '业务岗位\n1、综合管理岗');
      assert.equal(row.getCell(3).value, '一、公文分发、办理');
      assert.equal(row.getCell(4).value, '1.分发区委、区政府及其他单位来文，确立办理股室、提出办理意见。');
      assert.equal(
        row.getCell(5).value,
        '1.审核责任：审核来文是否符合收文要求。\n2.文件管理责任：收文后做好登记、流转。',
      );
      assert.equal(row.getCell(6).value, '01-1-1 01-1-2');
      assert.equal(row.getCell(7).value, '孙浩');
      assert.equal(row.getCell(8).value, '崔根');
      assert.equal(row.getCell(5).alignment?.wrapText, true);
      const items = (await tableOf(ts.store.db, 'st-zjj')).reduce((n, p) => n + p.items.length, 0);
      let dataRows = 0;
      ws.eachRow((_r, n) => {
        if (n > 2) dataRows++;
      });
      assert.equal(dataRows, items, 'one row per work item');
      // posts in the printed 序号 order: the bureau's 1–16 whatever 股室 they sit in, then each centre's
      const serials: number[] = [];
      let previous = '';
      ws.eachRow((row, n) => {
        const post = `${row.getCell(1).value} ${row.getCell(2).value}`;
        if (n > 2 && post !== previous) serials.push(Number(row.getCell(1).value));
        previous = post;
      });
      assert.deepEqual(serials, [
        ...Array.from({ length: 16 }, (_, i) => i + 1),
        ...[1, 2, 3],
        ...[1, 2, 3, 4],
      ]);
    });

    test('importing the export into a fresh unit gives the same positions, items and people', async () => {
      assert.ok(exported, 'the export test ran first');
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'rt-bureau', parentId: null, name: '往返测试局', kind: 'bureau' }),
      );
      const res = await upload('rt-bureau', exported);
      assert.equal(res.statusCode, 200, res.body);
      const original = await tableOf(ts.store.db, 'st-zjj');
      assert.deepEqual(res.json(), {
        positions: original.length,
        workItems: original.reduce((n, p) => n + p.items.length, 0),
      });
      assert.deepEqual(await tableOf(ts.store.db, 'rt-bureau'), original);
      const created = await ts.store.db
        .selectFrom('people')
        .select('name')
        .where('unit_id', '=', 'rt-bureau')
        .execute();
      assert.ok(
        created.some((p) => p.name === '孙鸿鹄'),
        'people are created in the unit by name',
      );
      assert.equal(new Set(created.map((p) => p.name)).size, created.length, 'each name created once');

      // Into its own unit, the same file changes nothing: people and positions are found by name.
      const before = await counts(ts.store.db);
      const again = await upload('st-zjj', exported);
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(await tableOf(ts.store.db, 'st-zjj'), original);
      assert.deepEqual(await counts(ts.store.db), before);
    });

    test('reads a table typed by a person: repeated names, 1、 and （1） numbering, ASCII colons', async () => {
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'typed-bureau', parentId: null, name: '手工录入局', kind: 'bureau' }),
      );
      const file = await xlsx(
        [
          ['某某局定岗定责定流程表'],
          [...columns.slice(0, 4), ' 岗位责任\n描述 ', ...columns.slice(5)],
          [
            1,
            '正职岗位',
            '主持全面工作',
            '负责全面工作。',
            '决策责任：及时决策。',
            '00-1、00-2',
            '李明',
            null,
            null,
          ],
          [
            2,
            '业务岗位\n1、办公室岗',
            '一、公文办理',
            '1、分发来文。\n2、督办\n跟踪。',
            '（1）审核责任：审核来文。\n（2）文件管理责任: 登记流转。',
            '01-1-1,01-1-2',
            '王芳',
            '赵强、钱进 孙丽',
            '备注一',
          ],
          [
            2,
            '业务岗位\n1、办公室岗',
            '二、会计',
            '(1)记账。',
            '1)核算责任：核算。',
            '01-6',
            '王芳',
            null,
            null,
          ],
          [null, null, null, null, null, null, null, null, null],
          [3, '副职岗位', '协助工作', null, null, null, null, null, null],
        ],
        ['A1:I1'],
      );
      const res = await upload('typed-bureau', file);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { positions: 3, workItems: 4 });
      const table = await tableOf(ts.store.db, 'typed-bureau');
      assert.deepEqual(
        table.map((p) => [p.name, p.kind, p.category, p.number, p.items.length]),
        [
          ['正职岗位', 'head', null, null, 1],
          ['办公室岗', 'business', '业务岗位', 1, 2],
          ['副职岗位', 'deputy', null, null, 1],
        ],
      );
      assert.deepEqual(table[1]!.items[0], {
        number: '一',
        title: '公文办理',
        functions: ['分发来文。', '督办跟踪。'],
        responsibilities: [
          { kind: '审核责任', text: '审核来文。' },
          { kind: '文件管理责任', text: '登记流转。' },
        ],
        flowCodes: ['01-1-1', '01-1-2'],
        lead: '王芳',
        assistants: ['赵强', '钱进', '孙丽'],
        note: '备注一',
      });
      assert.deepEqual(table[0]!.items[0]!.flowCodes, ['00-1', '00-2']);
      assert.deepEqual(table[1]!.items[1]!.functions, ['记账。']);
    });

    test('a malformed spreadsheet changes nothing and names every bad row and column', async () => {
      // Two people called 张伟 in 山亭区住建局: a name in the sheet cannot say which.
      await inTransaction(ts.ctx, async (c) => {
        await personCreator(c, { name: '张伟', unitId: 'st-zjj-bgs' });
        await personCreator(c, { name: '张伟', unitId: 'st-bzzx' });
      });
      const file = await xlsx([
        columns,
        [1, '综合管理岗', '一、新的事项', '1.正常。', '1.审核责任：正常。', '01-1-1', '孙浩', null, null],
        [2, null, '没有岗位的事项', null, null, null, null, null, null],
        [3, '法制工作岗', null, '1.有职能却没有事项名称。', null, null, null, null, null],
        [4, '法制工作岗', '二、流程编号错误', null, null, '01_1 02-1', null, null, null],
        [
          5,
          '法制工作岗',
          '三、责任缺类型',
          null,
          '1.审核责任：好。\n2.这一条没有写责任类型',
          null,
          null,
          null,
          null,
        ],
        [6, '法制工作岗', '四、重名', null, null, null, '张伟', null, null],
        [7, '法制工作岗', '五、日期', null, null, new Date('2024-01-02T00:00:00Z'), null, null, null],
      ]);
      const before = await counts(ts.store.db);
      const tableBefore = await tableOf(ts.store.db, 'st-zjj');
      const res = await upload('st-zjj', file);
      assert.equal(res.statusCode, 400);
      const body = res.json() as ImportFailure;
      assert.equal(body.code, 'import_failed');
      assert.match(body.message, /未做任何更改/);
      assert.deepEqual(body.fields.map((f) => f.field).sort(), [
        'row 3 / 岗位名称',
        'row 4 / 工作事项',
        'row 5 / 工作流程',
        'row 6 / 岗位责任描述',
        'row 7 / 牵头负责人',
        'row 8 / 工作流程',
      ]);
      const reason = (field: string) => body.fields.find((f) => f.field === field)?.reason ?? '';
      assert.match(reason('row 5 / 工作流程'), /01_1/);
      assert.match(reason('row 6 / 岗位责任描述'), /缺少责任类型/);
      assert.match(reason('row 7 / 牵头负责人'), /2 人名为“张伟”/);
      assert.match(reason('row 8 / 工作流程'), /日期/);
      assert.deepEqual(
        body.rows.map((r) => r.row),
        [3, 4, 5, 6, 7, 8],
      );
      assert.deepEqual(await counts(ts.store.db), before, 'nothing written');
      assert.deepEqual(await tableOf(ts.store.db, 'st-zjj'), tableBefore);
    });

    test('a wrong header row is named by row and column', async () => {
      const file = await xlsx([
        ['序号', '岗位', ...columns.slice(2)],
        [1, '综合管理岗', '事项'],
      ]);
      const res = await upload('st-zjj', file);
      assert.equal(res.statusCode, 400);
      const body = res.json() as ImportFailure;
      assert.deepEqual(body.fields, [
        { field: 'row 1 / 岗位名称', reason: '表头应为“岗位名称”，实际为“岗位”' },
      ]);
    });

    test('refuses non-xlsx files, zip bombs, oversize bodies and non-administrators', async () => {
      const before = await counts(ts.store.db);
      const staff = await signIn(app, ts, 'staff');
      assert.equal((await upload('st-zjj', exported, staff)).statusCode, 403);

      const text = await upload('st-zjj', Buffer.from('序号,岗位名称\n1,综合管理岗\n'));
      assert.equal(text.statusCode, 400);
      const textBody = text.json() as ImportFailure;
      assert.equal(textBody.code, 'import_failed');
      assert.match(textBody.fields[0]!.reason, /不是 xlsx 文件/);

      // A zip but not a workbook.
      const notWorkbook = await upload('st-zjj', zip([{ name: 'readme.txt', content: Buffer.from('你好') }]));
      assert.equal(notWorkbook.statusCode, 400);
      assert.match((notWorkbook.json() as ImportFailure).fields[0]!.reason, /不是有效的 xlsx/);

      // 60 MB of zeros deflate to ~60 KB: refused from the central directory, before anything is inflated.
      const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(60 * 1024 * 1024) }]);
      assert.ok(bomb.length < 200 * 1024);
      const bombRes = await upload('st-zjj', bomb);
      assert.equal(bombRes.statusCode, 400);
      assert.match((bombRes.json() as ImportFailure).fields[0]!.reason, /过大|上限/);

      // The same, lying about its size: inflation stops at the declared size.
      const liar = zip([
        { name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(30 * 1024 * 1024), declaredSize: 1000 },
      ]);
      const liarResult = await importDutyTable(ts.ctx, 'st-zjj', liar);
      assert.equal(liarResult.ok, false);
      assert.match(liarResult.ok ? '' : liarResult.errors[0]!.reason, /大小与声明不符/);

      const huge = await upload('st-zjj', Buffer.alloc(6 * 1024 * 1024, 1));
      assert.equal(huge.statusCode, 413);
      assert.equal((huge.json() as { code: string }).code, 'body_too_large');

      const json = await app.inject({
        method: 'POST',
        url: '/api/v1/units/st-zjj/duty-table',
        headers: admin.headers,
        payload: { rows: [] },
      });
      assert.equal(json.statusCode, 415);

      assert.equal((await upload('no-such-unit', exported)).statusCode, 404);
      assert.deepEqual(await counts(ts.store.db), before, 'nothing written');
    });

    test('too many rows are refused before any is read', async () => {
      const rows: (string | number)[][] = [columns];
      for (let i = 0; i < 2001; i++) rows.push([1, '综合管理岗', `事项${i}`]);
      const result = await importDutyTable(ts.ctx, 'st-zjj', await xlsx(rows));
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.errors[0]!.reason, /数据行过多/);
    });
  });
}

for (const backend of backendNames) {
  describe(`the command line: npx gongkai export / import [${backend}]`, () => {
    const run = promisify(execFile);
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let ts: TestStore;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gongkai-cli-'));
      ts = await freshStore(backend);
      await loadDemo(ts.ctx, 'Demo-pass-2026');
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'cli-unit', parentId: null, name: '命令行局', kind: 'bureau' }),
      );
      env = {
        ...process.env,
        DATABASE_URL: databaseUrlOf(ts),
        GONGKAI_ADMIN_PASSWORD: 'Cli-Zebra-Kite-2026',
        LOG_LEVEL: 'warn',
      };
    });
    after(async () => {
      await ts.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    const gongkai = (...args: string[]) =>
      run('npx', ['gongkai', ...args], { env, cwd: process.cwd(), timeout: 120_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({
          code: e.code ?? 1,
          stdout: e.stdout ?? '',
          stderr: e.stderr ?? '',
        }),
      );

    test('export writes the workbook; import reads it into another unit; a bad file imports nothing', async () => {
      const out = join(dir, 'zjj.xlsx');
      const exp = await gongkai('export', out, '--unit', 'st-zjj');
      assert.equal(exp.code, 0, exp.stderr);
      const ws = await loadWorkbook(readFileSync(out));
      assert.equal(ws.getCell('A1').value, '山亭区住房和城乡建设局定岗定责定流程表');

      const imp = await gongkai('import', out, '--unit', 'cli-unit');
      assert.equal(imp.code, 0, imp.stderr);
      assert.match(imp.stdout, /导入完成：23 个岗位，43 项工作事项/);

      const bad = join(dir, 'bad.xlsx');
      writeFileSync(
        bad,
        await xlsx([columns, [1, '综合管理岗', '事项', null, '没有类型', 'x_y', null, null, null]]),
      );
      const failed = await gongkai('import', bad, '--unit', 'cli-unit');
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /导入失败，未做任何更改。共 2 处错误/);
      assert.match(failed.stderr, /第 2 行 岗位责任描述/);
      assert.match(failed.stderr, /第 2 行 工作流程/);

      const table = await tableOf(ts.store.db, 'cli-unit');
      assert.equal(table.length, 23);
      assert.equal(
        table.reduce((n, p) => n + p.items.length, 0),
        43,
        'the failed import left the first one in place',
      );
    });
  });
}
