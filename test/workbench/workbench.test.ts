import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { inTransaction } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { reviewFlowImporter } from '../../src/disclosure/reviewFlow.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { registerWorkbench } from '../../src/server/workbench.ts';
import { launch, listen } from '../portal/browser.ts';
import { freshStore, type TestStore } from '../support/backends.ts';

// The staff workbench, driven as a person would use it: the built single-page app in headless Chromium
// against a real server over the demo district. The browser part does not depend on the database, so this
// runs on SQLite only.

const root = resolve(import.meta.dirname, '..', '..');
const demoPassword = 'Demo-pass-2026';
const adminUser = 'wb-admin';
const adminPassword = 'Wb-Str0ng-2026!';
const clerkUser = 'wb-clerk';
const reviewerUser = 'wb-reviewer';

function ensureBuilt(): void {
  // builds only when dist/workbench is missing or older than src/workbench
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-workbench.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  assert.equal(r.status, 0, 'the workbench builds');
  assert.ok(existsSync(join(root, 'dist', 'workbench', 'index.html')));
}

describe('staff workbench in a browser', () => {
  let ts: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  before(async () => {
    ensureBuilt();
    ts = await freshStore('sqlite');
    await loadDemo(ts.ctx, demoPassword);
    await inTransaction(ts.ctx, (c) =>
      userCreator(c, {
        username: adminUser,
        displayName: '测试管理员',
        role: 'sysadmin',
        password: adminPassword,
      }),
    );
    // 政务公开 is run by the government office (src/disclosure/unitScope.ts): two of 瓯海区's people get a post in
    // 区府办 and an account each, one to write and submit records, the other to review them
    await inTransaction(ts.ctx, async (c) => {
      const post = await positionCreator(c, { unitId: 'oh-zfb', name: '政务公开岗', kind: 'business' });
      for (const [username, personId, displayName] of [
        [clerkUser, '330304-lin-yizheng', '林益正'],
        [reviewerUser, '330304-hu-songqin', '胡松勤'],
      ] as const) {
        await appointmentCreator(c, { personId, positionId: post.id, startsOn: '2020-01-01' });
        await userCreator(c, { username, displayName, role: 'leader', personId, password: adminPassword });
      }
    });
    app = await buildApp({ store: ts.store });
    base = await listen(app);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await ts?.dispose();
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // a CSP violation, a React error or a script that failed to load shows here; the API's 4xx answers
    // (a wrong password, a rejected edit) are expected and shown to the person instead
    page.on('console', (m) => {
      // rc-util's deep-equality helper logs "There may be circular references" when it bails out of a
      // comparison (seen intermittently on the records screen); it changes nothing the person sees
      if (/There may be circular references/.test(m.text())) return;
      if (m.type() === 'error' && !/server responded with a status of 4\d\d/.test(m.text()))
        errors.push(m.text());
    });
    return { page, errors };
  }

  /** Run a browser scenario; when it fails, keep a screenshot of what the person saw next to the error. */
  async function scenario(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      const shot = join(tmpdir(), `workbench-${name}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { screenshot: shot });
    }
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${base}/workbench/`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  }

  test('a demo person logs in, sees the unit tree and the 住建局 table, and logs out', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'reader', async () => {
      await logIn(page, 'sunhonghu', 'wrong-password');
      await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();

      await page.getByLabel('密码').fill(demoPassword);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.locator('header').getByText('孙鸿鹄', { exact: true }).waitFor();

      const tree = page.getByRole('navigation', { name: '单位树' });
      await tree.getByText('山亭区住房和城乡建设局', { exact: true }).click();
      await page.getByRole('heading', { name: '山亭区住房和城乡建设局定岗定责定流程表' }).waitFor();
      // the sections under the bureau are in the tree once it opens on the bureau
      await tree.getByText('城市建设股', { exact: true }).waitFor();

      const table = page.getByRole('region', { name: '山亭区住房和城乡建设局定岗定责定流程表' });
      for (const header of [
        '序号',
        '岗位名称',
        '工作事项',
        '岗位职能描述',
        '岗位责任描述',
        '工作流程',
        '牵头负责人',
        '辅助人员',
        '备注',
      ]) {
        await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
      }
      const headRow = table.getByRole('row').filter({ hasText: '主持住建局党组全面工作' });
      await headRow.getByText('负责住建局党组全面工作。').waitFor();
      await headRow.getByText('决策责任：及时、准确决定局党组工作。').waitFor();
      assert.match((await headRow.textContent()) ?? '', /00-1 00-2/);
      // 序号 reads 1 … 16 down the bureau's table, whatever 股室 a post sits in, as the seed prints it
      assert.deepEqual(
        await table.locator('tbody td.gk-serial').allTextContents(),
        Array.from({ length: 16 }, (_, i) => String(i + 1)),
      );
      const posts = async (t: typeof table) =>
        (await t.locator('tbody .gk-position-name').allTextContents()).map((n) => n.replace(/^\d+、/, ''));
      assert.deepEqual(await posts(table), [
        '正职岗位',
        '副职岗位1',
        '副职岗位2',
        '综合管理岗',
        '法制工作岗',
        '城市建设管理岗',
        '人防公共服务管理岗',
        '房地产业申报岗',
        '房地产业政策审核岗',
        '建筑市场管理岗',
        '招投标管理岗',
        '建筑节能管理岗',
        '人才培训管理岗',
        '城镇化岗',
        '农房建设岗',
        '农厕改造岗',
      ]);
      // each 所属单位 prints its own table after the bureau's, with whom it belongs to and its remit
      const headings = await page.locator('.gk-unit section > h4').allTextContents();
      assert.deepEqual(headings, [
        '山亭区住房和城乡建设局定岗定责定流程表',
        '山亭区住房保障服务中心定岗定责定流程表',
        '山亭区建筑业发展服务中心定岗定责定流程表',
      ]);
      const centre = page.getByRole('region', { name: '山亭区住房保障服务中心定岗定责定流程表' });
      await centre.getByText('隶属关系：区住建局所属').waitFor();
      await centre.getByText('宗旨和业务范围：为人民群众提供住房保障服务。').waitFor();
      assert.deepEqual(await centre.locator('tbody td.gk-serial').allTextContents(), ['1', '2', '3']);
      assert.deepEqual(await posts(centre), ['住房保障服务岗', '物业服务岗', '房屋征收服务岗']);
      assert.equal(await table.getByText('住房保障服务岗').count(), 0, 'not in the bureau’s table');
      // a person who is not an administrator reads but does not edit
      assert.equal(await page.getByRole('button', { name: /编\s*辑/ }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /导入 Excel/ }).count(), 0);

      // a deep link survives a reload
      await page.reload();
      await page.getByRole('heading', { name: '山亭区住房和城乡建设局定岗定责定流程表' }).waitFor();

      await page.getByRole('button', { name: /退\s*出/ }).click();
      await page.getByText('您已退出登录').waitFor();
      const session = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
      assert.equal(session, 401, 'the session is gone on the server');
      assert.deepEqual(errors, []);
    });
  });

  test('an administrator edits a work item; a bad edit shows the field error and changes nothing', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'admin-edit', async () => {
      await logIn(page, adminUser, adminPassword);
      await page.locator('header').getByText('测试管理员', { exact: true }).waitFor();
      await page
        .getByRole('navigation', { name: '单位树' })
        .getByText('山亭区住房和城乡建设局', { exact: true })
        .click();
      const table = page.locator('.gk-duty-table');
      await table.getByText('主持住建局党组全面工作').waitFor();

      // a good edit: a new title and one more function line
      await page.getByRole('button', { name: '编辑工作事项：主持住建局党组全面工作' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByLabel('工作事项', { exact: true }).fill('主持局党组全面工作（已修订）');
      await drawer.getByRole('button', { name: '添加职能' }).click();
      await drawer.getByLabel('职能 3', { exact: true }).fill('牵头落实全面从严治党主体责任。');
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('工作事项已保存').waitFor();
      const row = table.getByRole('row').filter({ hasText: '主持局党组全面工作（已修订）' });
      await row.getByText('牵头落实全面从严治党主体责任。').waitFor();
      await row.getByText('负责住建局党组全面工作。').waitFor();

      // a bad edit: the server rejects a malformed flow code and says so next to the field
      await page.getByRole('button', { name: '编辑工作事项：主持局党组全面工作（已修订）' }).click();
      const flowInput = drawer.getByRole('combobox', { name: '工作流程（编号）' });
      await flowInput.click();
      await flowInput.pressSequentially('01/1');
      await flowInput.press('Enter');
      await drawer.getByLabel('工作事项', { exact: true }).fill('不应保存的标题');
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await drawer.getByRole('alert').filter({ hasText: '输入有误，请检查标出的字段' }).waitFor();
      const fieldError = drawer.locator('.ant-form-item-has-error').filter({ hasText: '工作流程（编号）' });
      await fieldError.getByText('流程编号格式不正确：01/1').waitFor();
      await drawer.getByRole('button', { name: /取\s*消/ }).click();

      const res = await page.evaluate(async () => {
        const r = await fetch('/api/v1/work-items?flowCode=00-1');
        return (await r.json()) as { items: { title: string; flowCodes: string[] }[] };
      });
      const titles = res.items.map((w) => w.title);
      assert.ok(titles.includes('主持局党组全面工作（已修订）'), 'the good edit is stored');
      assert.ok(!titles.includes('不应保存的标题'), 'the bad edit changed nothing');
      assert.deepEqual(errors, []);
    });
  });

  test('an administrator creates a unit under the bureau; a bad 区划代码 is shown next to its field', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'create-unit', async () => {
      await logIn(page, adminUser, adminPassword);
      const tree = page.getByRole('navigation', { name: '单位树' });
      await tree.getByText('山亭区住房和城乡建设局', { exact: true }).click();
      await page.getByRole('heading', { name: '山亭区住房和城乡建设局定岗定责定流程表' }).waitFor();
      await page.getByRole('button', { name: '新建下级单位' }).click();
      const dialog = page.getByRole('dialog', { name: /新建下级单位/ });
      await dialog.getByLabel('单位名称').fill('行政审批服务股');
      await dialog.getByLabel('区划代码').fill('3704');
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      const regionItem = dialog.locator('.ant-form-item-has-error').filter({ hasText: '区划代码' });
      await regionItem.getByText('区划代码为 6 位数字').waitFor();
      await dialog.getByLabel('区划代码').fill('370406');
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      await page.getByText('单位已创建').waitFor();
      await tree.getByText('行政审批服务股', { exact: true }).waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test('an account that must change its password does so before anything else', async () => {
    await inTransaction(ts.ctx, (c) =>
      userCreator(c, {
        username: 'wb-newcomer',
        displayName: '新同事',
        role: 'staff',
        password: 'Start-pass-2026',
        mustChangePassword: true,
      }),
    );
    const { page, errors } = await newPage();
    await scenario(page, 'password', async () => {
      await logIn(page, 'wb-newcomer', 'Start-pass-2026');
      await page.getByText('首次登录或密码已被重置，请先设置新密码再使用工作台。').waitFor();
      // a wrong current password is named by the API next to its field
      await page.getByLabel('当前密码').fill('Wrong-pass-2026');
      await page.getByLabel('新密码', { exact: true }).fill('Fresh-Start-2026!');
      await page.getByLabel('确认新密码').fill('Fresh-Start-2026!');
      await page.getByRole('button', { name: '修改密码' }).click();
      const current = page.locator('.ant-form-item-has-error').filter({ hasText: '当前密码' });
      await current.getByText('当前密码错误').waitFor();
      await page.getByLabel('当前密码').fill('Start-pass-2026');
      await page.getByRole('button', { name: '修改密码' }).click();
      await page.getByText('密码已修改').waitFor();
      await page.locator('header').getByText('新同事', { exact: true }).waitFor();
      await page
        .getByRole('heading', { name: /定岗定责定流程表$/ })
        .first()
        .waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test('导出 Excel downloads the table; 导入 Excel of a sheet with bad rows lists every bad row and changes nothing', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'excel', async () => {
      await logIn(page, adminUser, adminPassword);
      await page
        .getByRole('navigation', { name: '单位树' })
        .getByText('山亭区住房和城乡建设局', { exact: true })
        .click();
      await page.getByRole('heading', { name: '山亭区住房和城乡建设局定岗定责定流程表' }).waitFor();
      const before = await page.locator('.gk-duty-table tbody tr').count();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /导出 Excel/ }).click(),
      ]);
      assert.match(download.suggestedFilename(), /山亭区住房和城乡建设局.*\.xlsx$/);
      const exported = join(tmpdir(), `workbench-export-${process.pid}.xlsx`);
      await download.saveAs(exported);

      // two rows get a malformed flow code in 工作流程 (the sixth column); the header is the second row
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(exported);
      const sheet = book.worksheets[0];
      assert.ok(sheet, 'the export has a sheet');
      assert.equal(sheet.getRow(2).getCell(6).text, '工作流程');
      sheet.getRow(3).getCell(6).value = '01/1';
      sheet.getRow(5).getCell(6).value = '02/2';
      const bad = join(tmpdir(), `workbench-bad-${process.pid}.xlsx`);
      await book.xlsx.writeFile(bad);

      await page.getByRole('button', { name: /导入 Excel/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('input[type=file]').setInputFiles(bad);
      await dialog.getByRole('alert').filter({ hasText: '导入失败，未做任何更改' }).waitFor();
      const rows = dialog.getByRole('table', { name: '导入错误' }).getByRole('row');
      const row3 = rows.filter({ hasText: '01/1' });
      await row3.getByRole('cell', { name: '3', exact: true }).waitFor();
      await row3.getByRole('cell', { name: '工作流程', exact: true }).waitFor();
      const row5 = rows.filter({ hasText: '02/2' });
      await row5.getByRole('cell', { name: '5', exact: true }).waitFor();
      await dialog.getByRole('button', { name: /Close|关闭/ }).click();

      // nothing changed: the table still has its rows and no malformed code
      await page.getByRole('button', { name: '刷新' }).click();
      await page.getByRole('heading', { name: '山亭区住房和城乡建设局定岗定责定流程表' }).waitFor();
      assert.equal(await page.locator('.gk-duty-table tbody tr').count(), before);
      assert.equal(await page.locator('.gk-duty-table').getByText('01/1').count(), 0);
      assert.deepEqual(errors, []);
    });
  });

  test('a case is started, shows in 待办, is completed with an outcome and an opinion, and shows in 已办', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'inbox', async () => {
      await logIn(page, 'sunhonghu', demoPassword);
      await page.locator('header').getByText('孙鸿鹄', { exact: true }).waitFor();
      const menu = page.getByRole('navigation', { name: '主菜单' });

      // start a case of 00-1 “三重一大”议事流程: its first step is the starter's own
      await menu.getByRole('link', { name: '发起办件' }).click();
      await page.getByRole('button', { name: '发起：“三重一大”议事流程' }).click();
      await page.getByLabel('办件标题或文号').fill('关于二〇二六年度重大项目安排');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /发\s*起/ })
        .click();
      await page.getByRole('heading', { name: '提出涉及“三重一大”事项议题' }).waitFor();

      // 待办 lists it
      await menu.getByRole('link', { name: '待办' }).click();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      const openRow = page.getByRole('row').filter({ hasText: '提出涉及“三重一大”事项议题' });
      await openRow.getByText('“三重一大”议事流程').waitFor();
      await openRow.getByRole('link', { name: '提出涉及“三重一大”事项议题' }).click();

      // the task page offers the chart's outcomes; the current step is framed on the diagram
      await page.getByRole('heading', { name: '提出涉及“三重一大”事项议题' }).waitFor();
      await page.getByRole('figure', { name: '流程图' }).getByRole('img', { name: '当前环节' }).waitFor();
      // an outcome is required where the chart offers them
      await page.getByRole('button', { name: /提\s*交/ }).click();
      await page.getByText('请选择办理结果').waitFor();
      await page.getByRole('radio', { name: '重大事项' }).check();
      await page.getByLabel('意见').fill('拟提交党组会议研究。');
      await page.getByRole('button', { name: /提\s*交/ }).click();
      await page.getByText('办理成功').waitFor();
      // the history records who did it, the outcome and the opinion
      const history = page.getByRole('table', { name: '办理记录' });
      const done = history.getByRole('row').filter({ hasText: '拟提交党组会议研究。' });
      await done.getByText('重大事项').waitFor();
      await done.getByText('孙鸿鹄').waitFor();

      // 已办 lists the completed step with its outcome
      await menu.getByRole('link', { name: '已办' }).click();
      await page.getByRole('heading', { name: '已办', exact: true }).waitFor();
      const doneRow = page.getByRole('row').filter({ hasText: '提出涉及“三重一大”事项议题' });
      await doneRow.getByText('重大事项').waitFor();

      // the next step (调研后提交党组会议) is the starter's again: it is now in 待办, and 我发起的 shows where the case stands
      await menu.getByRole('link', { name: '我发起的' }).click();
      await page.getByRole('heading', { name: '我发起的', exact: true }).waitFor();
      const startedRow = page.getByRole('row').filter({ hasText: '“三重一大”议事流程' });
      await startedRow.getByText('办理中').waitFor();
      await startedRow
        .getByText('提前做好广泛调查研究，听取各部门和分管领导意见后，提交党组会议讨论研究')
        .waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test('政务公开: a draft record goes through 审核 and 保密审查 to 已发布; 依申请公开 shows due dates, overdue first', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'disclosure', async () => {
      await logIn(page, clerkUser, adminPassword);
      await page.locator('header').getByText('林益正', { exact: true }).waitFor();
      const menu = page.getByRole('navigation', { name: '主菜单' });

      // a new record, created in the drawer, gets its index number and waits as a draft
      await menu.getByRole('link', { name: '政府信息' }).click();
      await page.getByRole('heading', { name: '政府信息', exact: true }).waitFor();
      await page.getByRole('button', { name: '新建政府信息' }).click();
      const drawer = page.getByRole('dialog');
      // pick from a select as a person does: open it, type to narrow long lists, click the option
      const choose = async (label: string, option: string, type = true) => {
        const input = drawer.getByLabel(label, { exact: true });
        await input.click();
        if (type) await input.pressSequentially(option);
        // Under load the list can re-filter between finding the option and clicking it, and the click lands on
        // a row that is being replaced: the select stays open. A person clicks again; so does the test, until the
        // list closes with the option chosen.
        const list = page.locator('.ant-select-dropdown:visible');
        for (let attempt = 1; ; attempt++) {
          await list.getByTitle(option, { exact: true }).click();
          try {
            await list.waitFor({ state: 'hidden', timeout: 3000 });
            break;
          } catch (err) {
            if (attempt === 3) throw err;
          }
        }
      };
      await choose('公开主体', '瓯海区住建局');
      await choose('领域', '保障性住房');
      await choose('五公开阶段', '结果', false);
      await drawer.getByLabel('政府信息名称').fill('瓯海区2026年公共租赁住房配租结果公告');
      // 主动公开 needs a 内容概述 before it can go to review (条例第十二条)
      await drawer.getByLabel('内容概述').fill('公布本年度公共租赁住房配租家庭名单及房源分配结果。');
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('政府信息已保存').waitFor();
      const row = page.getByRole('row').filter({ hasText: '瓯海区2026年公共租赁住房配租结果公告' });
      await row.getByText('草稿').waitFor();
      assert.match((await row.textContent()) ?? '', /330304-[A-Z]+\d*-E-\d{3}-\d{4}-G/);

      // 提交审核; the submitter may not review it (the review shows the API's refusal) …
      await row.getByRole('button', { name: '提交审核' }).click();
      await row.getByText('待审核').waitFor();
      await row.getByRole('button', { name: /审\s*核/ }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /通\s*过/ })
        .click();
      await page.getByText('提交人不能审核自己提交的信息').waitFor();
      await page.getByRole('button', { name: '知道了' }).click();
      const returnButton = page.getByRole('button', { name: /退回修改/ });
      await returnButton.waitFor();
      await page.getByRole('button', { name: /取\s*消/ }).click();
      await returnButton.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: /退\s*出/ }).click();

      // … another leader does: 审核通过 → 保密审查通过 → 发布
      await logIn(page, reviewerUser, adminPassword);
      await page.locator('header').getByText('胡松勤', { exact: true }).waitFor();
      await menu.getByRole('link', { name: '政府信息' }).click();
      await row.getByText('待审核').waitFor();
      await row.getByRole('button', { name: /审\s*核/ }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /通\s*过/ })
        .click();
      await row.getByText('待保密审查').waitFor();
      await row.getByRole('button', { name: '保密审查' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /通\s*过/ })
        .click();
      await row.getByText('待发布').waitFor();
      await row.getByRole('button', { name: /发\s*布/ }).click();
      await row.getByText('已发布').waitFor();

      // two requests: one handed in 60 days ago (overdue), one online today (on time)
      const created = await page.evaluate(async () => {
        const csrf = sessionStorage.getItem('gongkai.csrf') ?? '';
        const base = {
          unitId: 'oh-zjj',
          applicantKind: 'naturalPerson',
          name: '张三',
          deliveryForm: 'electronic',
          deliveryMethod: 'email',
          email: 'zhangsan@example.cn',
          idType: '居民身份证',
          idNumber: '11010519491231002X',
        };
        const old = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
        const a = await fetch('/api/v1/info-requests/logged', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            ...base,
            channel: 'inPerson',
            submittedOn: old,
            description: '某小区改造资金使用情况',
          }),
        });
        const b = await fetch('/api/v1/info-requests', {
          method: 'POST',
          // an online application is public, but this browser is signed in: the session's writes need the token
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ ...base, name: '李四', description: '公共租赁住房轮候名单' }),
        });
        return [a.status, b.status];
      });
      assert.deepEqual(created, [201, 201]);
      await menu.getByRole('link', { name: '依申请公开' }).click();
      await page.getByRole('heading', { name: '依申请公开', exact: true }).waitFor();
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.nth(1).waitFor();
      // overdue first, highlighted, with its due date
      const first = rows.nth(0);
      await first.getByText('某小区改造资金使用情况').waitFor();
      await first.getByText('已超期').waitFor();
      assert.match((await first.getAttribute('class')) ?? '', /gk-overdue/);
      assert.match((await first.textContent()) ?? '', /\d{4}-\d{2}-\d{2}/);
      const onTime = rows.filter({ hasText: '公共租赁住房轮候名单' });
      await onTime.getByText(/剩余 \d+ 个工作日/).waitFor();
      assert.doesNotMatch((await onTime.getAttribute('class')) ?? '', /gk-overdue/);
      assert.deepEqual(errors, []);
    });
  });

  test('异议: an objection posted on the portal is in the publishing side’s 待办; its finding is recorded and listed with the notice', async () => {
    // a 12-2 case up to its village notice, as its starter would do it (over the API: the inbox scenario
    // above already drives a case through the browser)
    const starter = await ts.store.db
      .selectFrom('users')
      .select('username')
      .where('person_id', '=', '370406-wei-yongshui')
      .executeTakeFirstOrThrow();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: starter.username, password: demoPassword },
    });
    const headers = {
      cookie: `gk_session=${login.cookies.find((c) => c.name === 'gk_session')?.value}`,
      'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken,
    };
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/process-definitions/flow-12-2/instances',
      headers,
      payload: { variables: {} },
    });
    const caseId = (started.json() as { id: string }).id;
    const review = await ts.store.db
      .selectFrom('tasks')
      .select('id')
      .where('instance_id', '=', caseId)
      .executeTakeFirstOrThrow();
    await app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${review.id}/complete`,
      headers,
      payload: { outcome: '符合', opinion: '评议通过' },
    });
    const notice = await ts.store.db
      .selectFrom('records')
      .select('id')
      .where('source_process_instance_id', '=', caseId)
      .executeTakeFirstOrThrow();

    const { page, errors } = await newPage();
    await scenario(page, 'objection', async () => {
      // a citizen objects on the portal, without script
      await page.goto(`${base}/records/${notice.id}`);
      await page.getByLabel(/异议内容/).fill('名单第3户家中有两套住房，不符合危房改造条件。');
      await page.getByRole('button', { name: /提交异议/ }).click();
      await page.getByRole('heading', { name: '异议已提交' }).waitFor();

      const task = await ts.store.db
        .selectFrom('tasks')
        .select(['id', 'assignee_id'])
        .where('instance_id', '=', caseId)
        .where('kind', '=', 'objection')
        .executeTakeFirstOrThrow();
      const handlerId =
        task.assignee_id ??
        (
          await ts.store.db
            .selectFrom('task_candidates')
            .select('user_id')
            .where('task_id', '=', task.id)
            .orderBy('user_id')
            .executeTakeFirstOrThrow()
        ).user_id;
      const handler = await ts.store.db
        .selectFrom('users')
        .select(['username', 'display_name'])
        .where('id', '=', handlerId)
        .executeTakeFirstOrThrow();

      await page.context().clearCookies();
      await logIn(page, handler.username, demoPassword);
      await page.locator('header').getByText(handler.display_name, { exact: true }).waitFor();
      const menu = page.getByRole('navigation', { name: '主菜单' });
      await menu.getByRole('link', { name: '待办' }).click();
      await page.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: '核实公示异议' })
        .getByRole('link', { name: '核实公示异议' })
        .click();
      await page.getByRole('heading', { name: '核实公示异议' }).waitFor();
      await page.getByText('群众在公示期内提出了异议').waitFor();
      assert.equal(
        await page.getByRole('radio', { name: '终止' }).count(),
        0,
        'no way to stop the case from here',
      );
      await page.getByRole('radio', { name: '异议成立' }).check();
      await page.getByLabel('意见').fill('经入户核实，该户另有住房一套。');
      await page.getByRole('button', { name: /提\s*交/ }).click();
      await page.getByText('办理成功').waitFor();
      const history = page.getByRole('table', { name: '办理记录' });
      await history
        .getByRole('row')
        .filter({ hasText: '经入户核实，该户另有住房一套。' })
        .getByText('异议成立')
        .waitFor();
      assert.deepEqual(errors, []);
    });
  });

  /** A demo person of the 山亭 registry (seed 000) by person key: their username. */
  const usernameOf = async (personKey: string) =>
    (
      await ts.store.db
        .selectFrom('users')
        .select('username')
        .where('person_id', '=', `370406-${personKey}`)
        .executeTakeFirstOrThrow()
    ).username;

  /** Signed-in API headers (cookie and CSRF token) for the steps a scenario does not drive in the browser. */
  async function apiHeaders(username: string, password: string): Promise<Record<string, string>> {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password },
    });
    assert.equal(login.statusCode, 200, login.body);
    return {
      cookie: `gk_session=${login.cookies.find((c) => c.name === 'gk_session')?.value}`,
      'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken,
    };
  }

  /** The open task of a case at `activityId` that `username` may do, completed over the API. */
  async function completeOverApi(
    caseId: string,
    activityId: string,
    username: string,
    outcome: string | null = null,
  ): Promise<void> {
    const headers = await apiHeaders(username, demoPassword);
    const inbox = await app.inject({ method: 'GET', url: '/api/v1/tasks?view=open', headers });
    const task = (
      inbox.json() as { items: { taskId: string; activityId: string; instanceId: string }[] }
    ).items.find((t) => t.activityId === activityId && t.instanceId === caseId);
    assert.ok(task, `${activityId} is in ${username}'s 待办`);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${task.taskId}/complete`,
      headers,
      payload: { outcome, opinion: '同意' },
    });
    assert.equal(res.statusCode, 200, `${activityId}: ${res.body}`);
  }

  test('01-1-2 发文: the drafter marks the disclosure attribute in the task form, the leader confirms it at 签发, the issued document is a record', async () => {
    const title = '山亭区住房和城乡建设局关于做好2026年公共租赁住房资格年审工作的通知';
    const drafter = await usernameOf('zhang-wenzhi');
    const signer = await usernameOf('wang-hui');
    const office = await usernameOf('sun-hao');
    const { page, errors } = await newPage();
    let caseId = '';
    await scenario(page, 'outgoing-document', async () => {
      await logIn(page, drafter, demoPassword);
      const menu = page.getByRole('navigation', { name: '主菜单' });
      await menu.getByRole('link', { name: '发起办件' }).click();
      await page.getByRole('button', { name: '发起：文电管理发文' }).click();
      await page.getByLabel('办件标题或文号').fill(title);
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /发\s*起/ })
        .click();
      await page.getByRole('heading', { name: '拟稿单位拟稿', exact: true }).waitFor();
      caseId = decodeURIComponent(
        (await page.getByRole('link', { name: '查看办件全貌' }).getAttribute('href'))?.split('/').pop() ?? '',
      );

      // the chart's form for 拟稿: title and attribute are required, each error next to its field
      const form = page.getByRole('form', { name: '办理' });
      const fieldError = (label: string) =>
        form.locator('.ant-form-item-has-error').filter({ hasText: label });
      await form.getByRole('button', { name: /提\s*交/ }).click();
      await fieldError('公文标题').getByText('请填写公文标题').waitFor();
      await fieldError('公开属性').getByText('请选择公开属性').waitFor();
      // 不予公开 asks for its basis, and requires it
      assert.equal(await form.getByLabel('不予公开的依据').count(), 0, 'no basis asked before 不予公开');
      await form.getByRole('radio', { name: '不予公开' }).check();
      await form.getByLabel('不予公开的依据').waitFor();
      await form.getByLabel('公文标题').fill(title);
      await form.getByRole('button', { name: /提\s*交/ }).click();
      await fieldError('不予公开的依据').getByText('请填写不予公开的依据').waitFor();
      // the drafter settles on 主动公开: the basis is no longer asked
      await form.getByRole('radio', { name: '主动公开' }).check();
      await form.getByLabel('不予公开的依据').waitFor({ state: 'detached' });
      await form.getByLabel('文号').fill('山住建发〔2026〕21号');
      await form.getByLabel('内容概述').fill('部署2026年公共租赁住房承租家庭资格年审工作。');
      // the title names no area: the drafter names it
      await form.getByLabel('公开领域').fill('保障性住房');
      await form.getByRole('button', { name: /提\s*交/ }).click();
      await page.getByText('办理成功').waitFor();
      assert.deepEqual(errors, []);
    });
    const variables = await ts.store.db
      .selectFrom('variables')
      .select(['name', 'value'])
      .where('scope_id', '=', caseId)
      .where('name', 'in', ['docTitle', 'docNumber', 'disclosureAttribute', 'exemptionBasis'])
      .orderBy('name')
      .execute();
    assert.deepEqual(
      variables.map((v) => [v.name, JSON.parse(v.value)]),
      [
        ['disclosureAttribute', '主动公开'],
        ['docNumber', '山住建发〔2026〕21号'],
        ['docTitle', title],
      ],
      'the form sent its fields as case variables, the basis of an attribute no longer chosen left out',
    );

    // the office, the four sections' 会签 and 送签 over the API
    await completeOverApi(caseId, 'officeOpinion', office);
    for (const who of ['wang-hui', 'wang-hui', 'liu-zhizhu', 'pan-wei'])
      await completeOverApi(caseId, 'countersign', await usernameOf(who), '相关单位会签通过');
    await completeOverApi(caseId, 'sendForSigning', office);

    const signing = await newPage();
    await scenario(signing.page, 'outgoing-document-sign', async () => {
      const p = signing.page;
      await logIn(p, signer, demoPassword);
      await p.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '待办' }).click();
      await p.getByRole('heading', { name: '待办', exact: true }).waitFor();
      await p
        .getByRole('row')
        .filter({ hasText: '文电管理发文' })
        .getByRole('link', { name: '报领导审签' })
        .click();
      await p.getByRole('heading', { name: '报领导审签', exact: true }).waitFor();
      // the attribute marked at 拟稿 is preselected for the signer to confirm or change
      const form = p.getByRole('form', { name: '办理' });
      assert.equal(await form.getByRole('radio', { name: '主动公开' }).isChecked(), true);
      await form.getByRole('radio', { name: '签发', exact: true }).check();
      await form.getByRole('button', { name: /提\s*交/ }).click();
      await p.getByText('办理成功').waitFor();
      assert.deepEqual(signing.errors, []);
    });

    for (const step of ['print', 'proofread', 'issue', 'archive'])
      await completeOverApi(caseId, step, office);
    const record = await ts.store.db
      .selectFrom('records')
      .innerJoin('areas', 'areas.id', 'records.area_id')
      .select([
        'records.id',
        'title',
        'attribute',
        'document_number',
        'stage',
        'areas.name as area',
        'publish_state',
      ])
      .where('source_process_instance_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const { id: recordId, ...issued } = record;
    assert.deepEqual(issued, {
      title,
      attribute: 'proactive',
      document_number: '山住建发〔2026〕21号',
      stage: 'execution',
      area: '保障性住房',
      publish_state: 'draft',
    });
    const confirmed = await ts.store.db
      .selectFrom('record_history')
      .select('note')
      .where('record_id', '=', recordId)
      .where('action', '=', 'attributeConfirmed')
      .executeTakeFirstOrThrow();
    assert.match(confirmed.note ?? '', /拟稿标注“主动公开”，王辉于 \S+ 签发确认/);
  });

  test('审核流程: a record under a review case links its handler to the task in 待办 instead of buttons the API refuses', async () => {
    // the district deploys the review chart (src/disclosure/reviewFlow.ts); from now on 提交审核 starts a case
    await inTransaction(ts.ctx, (c) => reviewFlowImporter(c));
    const title = '山亭区2026年农村危房改造实施计划';
    const clerk = await apiHeaders(clerkUser, adminPassword);
    const areas = await app.inject({ method: 'GET', url: '/api/v1/areas?adopted=1', headers: clerk });
    const area = (areas.json() as { items: { id: string; name: string }[] }).items.find(
      (a) => a.name === '农村危房改造',
    );
    assert.ok(area);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: clerk,
      payload: {
        title,
        summary: '公布本年度农村危房改造对象、改造方式和补助标准。',
        origin: 'produced',
        kind: 'plan',
        formedOn: new Date().toISOString().slice(0, 10),
        attribute: 'proactive',
        channels: ['政府网站'],
        // its 审核 goes to the head (正职) of the disclosing unit: 山亭区住建局's is 孙鸿鹄
        disclosingUnitId: 'st-zjj',
        areaId: area.id,
        stage: 'decision',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const recordId = (created.json() as { id: string }).id;
    const submitted = await app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/submit`,
      headers: clerk,
      payload: {},
    });
    assert.equal(submitted.statusCode, 200, submitted.body);
    const review = await ts.store.db
      .selectFrom('tasks')
      .innerJoin('process_instances as i', 'i.id', 'tasks.instance_id')
      .select(['tasks.id', 'tasks.assignee_id'])
      .where('i.business_key', '=', `record:${recordId}`)
      .where('tasks.status', '=', 'open')
      .executeTakeFirstOrThrow();
    const headId =
      review.assignee_id ??
      (
        await ts.store.db
          .selectFrom('task_candidates')
          .select('user_id')
          .where('task_id', '=', review.id)
          .orderBy('user_id')
          .executeTakeFirstOrThrow()
      ).user_id;
    const head = await ts.store.db
      .selectFrom('users')
      .select(['username', 'display_name'])
      .where('id', '=', headId)
      .executeTakeFirstOrThrow();

    // the office's reviewer is not the 审核 step's handler: the record says where it stands, with no button
    const office = await newPage();
    await scenario(office.page, 'review-flow-office', async () => {
      const p = office.page;
      await logIn(p, reviewerUser, adminPassword);
      await p.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '政府信息' }).click();
      const row = p.getByRole('row').filter({ hasText: title });
      await row.getByText('待审核').waitFor();
      await row.getByText('审核流程中').waitFor();
      assert.equal(await row.getByRole('button', { name: /^审\s*核$/ }).count(), 0);
    });

    // the head of the disclosing unit goes from the record to the 审核 task and passes it
    const { page, errors } = await newPage();
    await scenario(page, 'review-flow-head', async () => {
      await logIn(page, head.username, demoPassword);
      await page.locator('header').getByText(head.display_name, { exact: true }).waitFor();
      await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '政府信息' }).click();
      const row = page.getByRole('row').filter({ hasText: title });
      await row.getByText('待审核').waitFor();
      assert.equal(await row.getByRole('button', { name: /^审\s*核$/ }).count(), 0);
      await row.getByRole('link', { name: '到待办办理审核' }).click();
      await page.getByRole('heading', { name: '审核', exact: true }).waitFor();
      await page.getByRole('radio', { name: '通过' }).check();
      await page.getByRole('button', { name: /提\s*交/ }).click();
      await page.getByText('办理成功').waitFor();
      assert.deepEqual(errors, []);
    });

    // 保密审查 is the office's step now: its reviewer is sent to that task, and passing it makes the record 待发布
    await scenario(office.page, 'review-flow-secrecy', async () => {
      const p = office.page;
      await p.getByRole('button', { name: '刷新' }).click();
      const row = p.getByRole('row').filter({ hasText: title });
      await row.getByText('待保密审查').waitFor();
      assert.equal(await row.getByRole('button', { name: '保密审查' }).count(), 0);
      await row.getByRole('link', { name: '到待办办理保密审查' }).click();
      await p.getByRole('heading', { name: '保密审查', exact: true }).waitFor();
      await p.getByRole('radio', { name: '通过' }).check();
      await p.getByRole('button', { name: /提\s*交/ }).click();
      await p.getByText('办理成功').waitFor();
      await p.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '政府信息' }).click();
      await p.getByRole('row').filter({ hasText: title }).getByText('待发布').waitFor();
      assert.deepEqual(office.errors, []);
    });
  });

  test('without a build, /workbench/ says how to build it', async () => {
    const bare = Fastify();
    registerWorkbench(bare, join(tmpdir(), `no-workbench-${process.pid}`));
    try {
      const res = await bare.inject({ method: 'GET', url: '/workbench/org/st-zjj' });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /工作台尚未构建/);
      assert.match(res.body, /npm run build:workbench/);
    } finally {
      await bare.close();
    }
  });

  test('the workbench is served with a client-route fallback and immutable assets', async () => {
    const page = await fetch(`${base}/workbench/org/st-zjj`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('cache-control') ?? '', /no-cache/);
    const html = await page.text();
    const asset = /src="(\/workbench\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, 'index.html names its script');
    const js = await fetch(`${base}${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${base}/workbench/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${base}/workbench/%2e%2e/package.json`)).status, 404);
  });
});
