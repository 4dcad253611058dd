import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { userCreator } from '../../src/accounts/userCreator.ts';
import { inTransaction } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { appointmentCreator } from '../../src/registry/commands/appointmentCreator.ts';
import { positionCreator } from '../../src/registry/commands/positionCreator.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn, disclosureOffice, smallDistrict } from '../disclosure/fixtures.ts';
import { launch, listen } from '../portal/browser.ts';
import { type Session, signIn } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

// 依申请公开 in the staff workbench (issue 6): the office handles a request end to end on screen — logs a
// walk-in request, assigns it, replies with an outcome of table 三, downloads the letter, delivers, closes,
// records a reconsideration — and reads the annual report. First the two things the screens rely on from
// the API (whom a request can be assigned to; which actions the state allows), on both databases; then the
// browser, as in workbench.test.ts (the built SPA in headless Chromium over the demo district, SQLite only).

const root = resolve(import.meta.dirname, '..', '..');

for (const backend of backendNames) {
  describe(`information requests: what the workbench asks the API [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let office: Session;
    let zsb: Session;
    const now = new Date('2026-03-02T02:00:00Z');

    before(async () => {
      ts = await freshStore(backend);
      await smallDistrict(ts.ctx);
      await disclosureOffice(ts.ctx, 'oh-gov');
      await inTransaction(ts.ctx, (c) =>
        unitCreator(c, { id: 'oh-zjj-bgs', parentId: 'oh-zjj', name: '住建局办公室', kind: 'section' }),
      );
      app = await buildApp({ store: ts.store, now: () => now });
      office = await signIn(app, ts, 'staff', 'ir-office');
      await appointIn(ts.ctx, 'gov-office', 'ir-office');
      zsb = await signIn(app, ts, 'staff', 'ir-zsb');
      await appointIn(ts.ctx, 'oh-zsb', 'ir-zsb');
      // in the bureau's subtree: a section clerk and the bureau's head (leader); a disabled account and an
      // administrator holding a post there are not handlers
      await signIn(app, ts, 'staff', 'ir-section');
      await appointIn(ts.ctx, 'oh-zjj-bgs', 'ir-section');
      await signIn(app, ts, 'leader', 'ir-head');
      await appointIn(ts.ctx, 'oh-zjj', 'ir-head');
      await signIn(app, ts, 'staff', 'ir-gone');
      await appointIn(ts.ctx, 'oh-zjj', 'ir-gone');
      await ts.store.db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'ir-gone').execute();
      await signIn(app, ts, 'sysadmin', 'ir-admin');
      await appointIn(ts.ctx, 'oh-zjj', 'ir-admin');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    const call = (s: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });

    test('交办 candidates: the active staff and leaders of the unit and its sub-units, within the asker’s scope', async () => {
      const res = await call(office, 'GET', '/info-requests/handlers?unit=oh-zjj');
      assert.equal(res.statusCode, 200, res.body);
      const items = (res.json() as { items: { username: string; posts: string[] }[] }).items;
      assert.deepEqual(
        items.map((h) => h.username),
        ['ir-head', 'ir-section'],
      );
      assert.deepEqual(items.find((h) => h.username === 'ir-section')?.posts, [
        '住建局办公室 · 岗位-ir-section',
      ]);
      const section = await call(office, 'GET', '/info-requests/handlers?unit=oh-zjj-bgs');
      assert.deepEqual(
        (section.json() as { items: { username: string }[] }).items.map((h) => h.username),
        ['ir-section'],
      );
      const outside = await call(zsb, 'GET', '/info-requests/handlers?unit=oh-zjj');
      assert.equal(outside.statusCode, 403, 'another bureau’s people are not offered');
      assert.equal((outside.json() as { code: string }).code, 'forbidden_unit');
      const missing = await call(office, 'GET', '/info-requests/handlers');
      assert.equal(missing.statusCode, 400);
      assert.equal((await call(office, 'GET', '/info-requests/handlers?unit=nope')).statusCode, 404);
    });

    test('the request says which actions its state allows, step by step through the flow', async () => {
      const logged = await call(office, 'POST', '/info-requests/logged', {
        unitId: 'oh-zjj',
        applicantKind: 'naturalPerson',
        name: '王某',
        idNumber: '330304199001011234',
        phone: '13900000000',
        description: '某安置小区建设资金使用情况',
        deliveryForm: 'paper',
        deliveryMethod: 'post',
        channel: 'inPerson',
        submittedOn: '2026-03-02',
      });
      assert.equal(logged.statusCode, 201, logged.body);
      const { id } = logged.json() as { id: string };
      const allowed = async (action?: string, payload: object = {}) => {
        const res = action
          ? await call(office, 'POST', `/info-requests/${id}/${action}`, payload)
          : await call(office, 'GET', `/info-requests/${id}`);
        assert.equal(res.statusCode, 200, res.body);
        return (res.json() as { allowedActions: string[] }).allowedActions;
      };
      // staff log a request already registered (Art. 31); an online one waits to be registered
      assert.deepEqual(await allowed(), [
        'assign',
        'supplement-request',
        'consultation',
        'extend',
        'reply',
        'withdraw',
        'note',
      ]);
      const online = await app.inject({
        method: 'POST',
        url: '/api/v1/info-requests',
        payload: {
          unitId: 'oh-zjj',
          applicantKind: 'legalPerson',
          organisationKind: 'business',
          name: '某公司',
          organisationCode: '91330304MA00000000',
          email: 'a@example.cn',
          description: '某地块出让合同',
          deliveryForm: 'electronic',
          deliveryMethod: 'email',
        },
      });
      assert.equal(online.statusCode, 201, online.body);
      const onlineId = (
        await ts.store.db
          .selectFrom('info_requests')
          .select('id')
          .where('tracking_number', '=', (online.json() as { trackingNumber: string }).trackingNumber)
          .executeTakeFirstOrThrow()
      ).id;
      const fresh = await call(office, 'GET', `/info-requests/${onlineId}`);
      assert.deepEqual((fresh.json() as { allowedActions: string[] }).allowedActions, [
        'register',
        'assign',
        'supplement-request',
        'withdraw',
        'note',
      ]);
      assert.deepEqual(await allowed('supplement-request', { missing: '请写明小区名称' }), [
        'supplement-received',
        'withdraw',
        'note',
      ]);
      assert.deepEqual(
        await allowed('supplement-received', {}),
        ['assign', 'consultation', 'extend', 'reply', 'withdraw', 'note'],
        '补正 is told once (Art. 30)',
      );
      assert.deepEqual(await allowed('consultation', { party: '某公司' }), [
        'consultation-end',
        'extend',
        'withdraw',
        'note',
      ]);
      await allowed('consultation-end', {});
      assert.deepEqual(await allowed('reply', { outcome: 'disclosed' }), ['deliver', 'note']);
      assert.deepEqual(await allowed('deliver', { method: '邮寄' }), ['close', 'note']);
      assert.deepEqual(await allowed('close', {}), ['note']);
    });
  });
}

const demoPassword = 'Demo-pass-2026';
const password = 'Ir-Str0ng-2026!';
const clerk = { username: 'ir-clerk', displayName: '林益正', personId: '330304-lin-yizheng' };
const head = { username: 'ir-head', displayName: '胡松勤', personId: '330304-hu-songqin' };

/** Today in Beijing, the day the server dates events by (src/requests/settings.ts beijingDate). */
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const dayBefore = (ymd: string) =>
  new Date(Date.parse(`${ymd}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-workbench.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  assert.equal(r.status, 0, 'the workbench builds');
  assert.ok(existsSync(join(root, 'dist', 'workbench', 'index.html')));
}

describe('依申请公开 in the workbench, in a browser', () => {
  let ts: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  before(async () => {
    ensureBuilt();
    ts = await freshStore('sqlite');
    await loadDemo(ts.ctx, demoPassword);
    // the disclosure office (区府办, src/disclosure/unitScope.ts) handles every unit's requests: a clerk (staff)
    // and its head (a leader, who approves extensions, Art. 33 ¶2) get a post there
    await inTransaction(ts.ctx, async (c) => {
      const post = await positionCreator(c, { unitId: 'oh-zfb', name: '政务公开岗', kind: 'business' });
      for (const [who, role] of [
        [clerk, 'staff'],
        [head, 'leader'],
      ] as const) {
        await appointmentCreator(c, { personId: who.personId, positionId: post.id, startsOn: '2020-01-01' });
        await userCreator(c, { ...who, role, password });
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
    // Beijing time, as the office works: the forms' default dates are the days the server dates events by
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/There may be circular references/.test(m.text())) return;
      if (m.type() === 'error' && !/server responded with a status of 4\d\d/.test(m.text()))
        errors.push(m.text());
    });
    return { page, errors };
  }

  async function scenario(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      const shot = join(tmpdir(), `workbench-requests-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { screenshot: shot });
    }
  }

  async function logIn(page: Page, who: { username: string; displayName: string }): Promise<void> {
    await page.goto(`${base}/workbench/`);
    await page.getByLabel('用户名').fill(who.username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.locator('header').getByText(who.displayName, { exact: true }).waitFor();
  }

  /** Pick from a select as a person does: open it, type to narrow long lists, click the option. */
  async function choose(page: Page, scope: Locator, label: string, option: string, type = true) {
    const input = scope.getByLabel(label, { exact: true });
    // the box around the input takes the click: a select showing a value lays the value over its input
    await scope
      .locator('.ant-select-selector')
      .filter({ has: page.getByLabel(label, { exact: true }) })
      .click();
    if (type) await input.pressSequentially(option);
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  }

  /** The report's year: a select named by its aria-label, outside a form. */
  async function chooseYear(page: Page, year: number) {
    await choose(page, page.locator('main'), '年度', `${year}年度`, false);
    await page.getByText(`全部机关 · ${year}年度`).waitFor();
  }

  async function setDate(scope: Locator, label: string, ymd: string) {
    const input = scope.getByLabel(label, { exact: true });
    await input.click();
    await input.fill(ymd);
    await input.press('Enter');
  }

  const button = (scope: Locator | Page, text: string) =>
    // Ant Design spaces out a two-character label (“交 办”); a button that was just busy may keep its spinner's
    // leaving motion in a headless browser, which names it “loading” too
    scope.getByRole('button', { name: new RegExp(`^(loading\\s*)?${[...text].join('\\s*')}$`) });

  /** Open an action's form from the drawer's toolbar and send it. */
  async function act(
    page: Page,
    drawer: Locator,
    action: string,
    title: string,
    fill?: (d: Locator) => Promise<void>,
  ) {
    await button(drawer.getByRole('toolbar', { name: '办理操作' }), action).click();
    const dialog = page.getByRole('dialog', { name: title, exact: true });
    await dialog.waitFor();
    await fill?.(dialog);
    await button(dialog, '确定').click();
    return dialog;
  }

  /** The request's handling state, as the drawer's 办理状态 row shows it. */
  const state = (drawer: Locator, name: string) =>
    drawer
      .locator('.ant-descriptions-row')
      .filter({ hasText: '办理状态' })
      .getByText(name, { exact: true })
      .waitFor();

  const toolbarButtons = async (drawer: Locator) =>
    (await drawer.getByRole('toolbar', { name: '办理操作' }).getByRole('button').allTextContents()).map((t) =>
      t.replace(/\s/g, ''),
    );

  test('a clerk logs a walk-in request, assigns it, replies, delivers, closes it and records a reconsideration', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'handle', async () => {
      const today = beijingToday();
      await logIn(page, clerk);
      const menu = page.getByRole('navigation', { name: '主菜单' });
      await menu.getByRole('link', { name: '依申请公开' }).click();
      await page.getByRole('heading', { name: '依申请公开', exact: true }).waitFor();

      // 登记来件: the API's refusal is shown next to the field it names
      await page.getByRole('button', { name: '登记来件' }).click();
      const form = page.getByRole('dialog', { name: '登记来件' });
      await choose(page, form, '受理机关', '山亭区住房和城乡建设局');
      await form.getByLabel('姓名或者名称').fill('王登记');
      await form.getByLabel('联系电话').fill('13700000000');
      await form.getByLabel('所需政府信息的名称或者内容描述').fill('山亭区2026年老旧小区改造项目清单');
      await button(form, '登记').click();
      await form.locator('#idNumber_help').getByText('请提供身份证明（证件号码）').waitFor();
      await form.getByLabel('身份证件号码').fill('370406199001011111');
      await button(form, '登记').click();
      const receipt = page.getByRole('dialog').filter({ hasText: '申请已登记' });
      await receipt.waitFor();
      const tracking = /申请编号\s*(\S+?)，/.exec((await receipt.textContent()) ?? '')?.[1];
      assert.ok(tracking, 'the tracking number is shown to tell the applicant');
      await page.getByRole('button', { name: '知道了' }).click();

      // the request opens: registered (staff logged it), masked, with its due date explained
      const drawer = page.locator('.ant-drawer').filter({ hasText: `申请 ${tracking}` });
      const clock = drawer.locator('.gk-clock');
      await state(drawer, '已登记');
      await clock.getByText(/应于\d{4}年\d{1,2}月\d{1,2}日前答复/).waitFor();
      await drawer.getByText('（证件号码、电话已遮蔽，仅承办人可见）').waitFor();
      // what a registered request allows, but 延长期限: that is the office head's (Art. 33 ¶2)
      assert.deepEqual(await toolbarButtons(drawer), [
        '交办',
        '告知补正',
        '征求意见',
        '答复',
        '申请人撤回',
        '备注',
        '记录复议/诉讼',
      ]);
      await drawer.getByText('延长答复期限须经政府信息公开工作机构负责人（领导账号）同意。').waitFor();

      // 交办 to the bureau, the clerk as handler: the applicant's data is no longer masked for them
      await act(page, drawer, '交办', '交办承办单位', async (d) => {
        await choose(page, d, '承办人', '林益正（本人）', false);
      });
      await page.getByText('已交办').waitFor();
      await state(drawer, '办理中');
      await drawer.getByText('370406199001011111').waitFor();
      assert.equal(await drawer.getByText('（证件号码、电话已遮蔽，仅承办人可见）').count(), 0);
      await drawer.getByRole('cell', { name: '交办承办' }).waitFor();

      // 答复 dated before the last step is refused on its date field; then replied with 予以公开
      const reply = await act(page, drawer, '答复', '作出答复', async (d) => {
        await choose(page, d, '答复类型', '予以公开', false);
        await d.getByLabel('答复内容').fill('见附件：山亭区2026年老旧小区改造项目清单。');
        await setDate(d, '答复日期', dayBefore(today));
      });
      await reply
        .locator('#onDate_help')
        .getByText(/日期不能早于上一步骤的日期/)
        .waitFor();
      await setDate(reply, '答复日期', today);
      await button(reply, '确定').click();
      await state(drawer, '已答复');
      await clock.getByText(/作出答复/).waitFor();
      await clock.getByText('已按期答复').waitFor();
      const [letter] = await Promise.all([
        page.waitForEvent('download'),
        drawer.getByRole('button', { name: '下载答复书（.docx）' }).click(),
      ]);
      assert.equal(letter.suggestedFilename(), `${tracking}.docx`);
      assert.deepEqual(await toolbarButtons(drawer), ['送达', '备注', '记录复议/诉讼']);

      await act(page, drawer, '送达', '送达答复', async (d) => {
        await d.getByLabel('送达方式').fill('邮寄');
        await d.getByLabel('送达方式').press('Tab');
      });
      await state(drawer, '已送达');
      await drawer.getByText(`${today}（邮寄）`).waitFor();
      await act(page, drawer, '办结', '办结');
      await state(drawer, '已办结');
      assert.deepEqual(await toolbarButtons(drawer), ['备注', '记录复议/诉讼']);

      // 行政复议 over the reply, then its result (table 四)
      await act(page, drawer, '记录复议/诉讼', '记录行政复议或行政诉讼', async (d) => {
        await choose(page, d, '类型', '行政复议', false);
      });
      const appeal = drawer.getByRole('row').filter({ hasText: '行政复议' });
      await appeal.getByText('尚未审结').waitFor();
      await appeal.getByRole('button', { name: '记录结果' }).click();
      const settle = page.getByRole('dialog', { name: '记录行政复议结果' });
      await choose(page, settle, '结果', '结果维持', false);
      await button(settle, '确定').click();
      await appeal.getByText('结果维持').waitFor();
      await page.locator('.ant-drawer-close').click();

      // the demo request waiting for its 补正: the supplement arrives, the clock starts afresh
      const waiting = page.getByRole('row').filter({ hasText: '某小区物业专项维修资金使用情况' });
      await waiting.getByText('待补正（期限中止）').waitFor();
      await waiting.getByRole('button').first().click();
      const second = page.locator('.ant-drawer').filter({ hasText: '某小区物业专项维修资金使用情况' });
      await act(page, second, '收到补正', '收到补正材料');
      await second
        .locator('.gk-clock')
        .getByText(/收到补正材料，答复期限自该日起重新计算/)
        .waitFor();
      await second
        .locator('.gk-clock')
        .getByText(/应于\d{4}年\d{1,2}月\d{1,2}日前答复/)
        .waitFor();
      await page.locator('.ant-drawer-close').click();

      // the annual report counts it all: table 三 and table 四 as the API computes them, the checks passed
      await menu.getByRole('link', { name: '年度报告' }).click();
      await page.getByRole('heading', { name: '政府信息公开工作年度报告' }).waitFor();
      const year = Number(today.slice(0, 4));
      await chooseYear(page, year);
      await page.getByText('校验全部通过').waitFor();
      const api = await page.evaluate(async (y) => {
        const r = await fetch(`/api/v1/reports/annual/${y}`);
        return (await r.json()) as {
          table3: { key: string; cells: Record<string, number> }[];
          table4: Record<string, Record<string, number>>;
        };
      }, year);
      const newRow = page
        .locator('.gk-report-table3 tr')
        .filter({ hasText: '一、本年新收政府信息公开申请数量' });
      const cells = (await newRow.locator('td').allTextContents()).slice(1);
      const expected = api.table3.find((r) => r.key === 'new')?.cells;
      assert.ok(expected && (expected.total ?? 0) >= 4, 'the demo’s three requests and the logged one');
      assert.deepEqual(
        cells.map(Number),
        ['naturalPerson', 'business', 'research', 'publicWelfare', 'legalService', 'other', 'total'].map(
          (c) => expected[c],
        ),
      );
      assert.equal(api.table4.reconsideration?.upheld, 1);
      const table4 = page
        .locator('table')
        .filter({ hasText: '未经复议直接起诉' })
        .locator('tbody tr')
        .first();
      assert.equal((await table4.locator('td').allTextContents()).join(' '), '1 0 0 0 1 0 0 0 0 0 0 0 0 0 0');

      // section 一 is written by staff and kept; the report downloads as .xlsx
      const section = page.getByLabel('一、总体情况');
      await section.fill('本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。');
      await page
        .locator('.ant-card')
        .filter({ hasText: '一、总体情况' })
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page.getByText('已保存', { exact: true }).waitFor();
      const [sheet] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '导出 Excel' }).click(),
      ]);
      assert.equal(sheet.suggestedFilename(), `annual-report-${year}.xlsx`);
      await page.reload();
      await chooseYear(page, year);
      assert.equal(
        await page.getByLabel('一、总体情况').inputValue(),
        '本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。',
      );
      assert.equal(
        await page.getByRole('button', { name: /发\s*布/ }).count(),
        0,
        'publishing is the head’s',
      );
      assert.deepEqual(errors, []);
    });
  });

  test('the office head extends a request’s period and sees the due date move; publishes the annual report', async () => {
    const { page, errors } = await newPage();
    await scenario(page, 'head', async () => {
      await logIn(page, head);
      await page
        .getByRole('navigation', { name: '主菜单' })
        .getByRole('link', { name: '依申请公开' })
        .click();
      const row = page.getByRole('row').filter({ hasText: '山亭区2025年农村危房改造补助对象名单及补助标准' });
      await row.getByRole('button').first().click();
      const drawer = page
        .locator('.ant-drawer')
        .filter({ hasText: '山亭区2025年农村危房改造补助对象名单及补助标准' });
      const clock = drawer.locator('.gk-clock');
      await state(drawer, '已登记');
      const due = async () => (await clock.locator('strong').textContent()) ?? '';
      const before = await due();
      assert.match(before, /^\d{4}-\d{2}-\d{2}$/);
      await act(page, drawer, '延长期限', '延长答复期限', async (d) => {
        await d.getByLabel('延长工作日数').fill('5');
        await d.getByLabel('延期理由').fill('需调取多个年度的档案');
        await d.getByLabel('告知申请人的方式').fill('电话告知');
      });
      await clock.getByText(/经政府信息公开工作机构负责人同意延期5个工作日/).waitFor();
      assert.ok((await due()) > before, 'the due date moves later');
      await drawer.getByRole('cell', { name: '延长答复期限' }).waitFor();
      await page.locator('.ant-drawer-close').click();

      await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '年度报告' }).click();
      const year = Number(beijingToday().slice(0, 4));
      await chooseYear(page, year);
      await page.getByText('校验全部通过').waitFor();
      await page.getByRole('button', { name: /^发\s*布$/ }).click();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /^发\s*布$/ })
        .click();
      const done = page.getByRole('dialog').filter({ hasText: '年度报告已发布' });
      await done.getByText(/索引号 \S+/).waitFor();
      assert.deepEqual(errors, []);
    });
  });
});
