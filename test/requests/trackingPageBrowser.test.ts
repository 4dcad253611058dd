/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, so these files see the DOM types.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { type Context, inTransaction } from '../../src/context.ts';
import { unitCreator } from '../../src/registry/commands/unitCreator.ts';
import {
  consultationEnder,
  consultationStarter,
  replyDeliverer,
  replyMaker,
} from '../../src/requests/commands/requestActions.ts';
import { requestCreator } from '../../src/requests/commands/requestCreator.ts';
import { buildApp } from '../../src/server/app.ts';
import { appointIn } from '../disclosure/fixtures.ts';
import { axe, contextWith, describeViolations, launch, listen } from '../portal/browser.ts';
import { freshStore, type TestStore } from '../support/backends.ts';

// The public tracking page (issue 6 item 4) as a person sees it: found from the 依申请公开 page, filled in with
// the number and the code, read without script, accessible (axe), and narrow enough for a phone. One backend:
// this looks at the page, not at the database.

const at = (ymd: string) => new Date(`${ymd}T02:00:00Z`);

describe('the tracking page in headless Chromium', () => {
  let ts: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let tracking = { number: '', code: '' };

  before(async () => {
    ts = await freshStore('sqlite');
    await inTransaction(ts.ctx, (c) =>
      unitCreator(c, { id: 'tp-unit', parentId: null, name: '某区住房和城乡建设局', kind: 'bureau' }),
    );
    const personId = await appointIn(ts.ctx, 'tp-unit');
    const ctxAt = (ymd: string): Context => ({
      ...ts.ctx,
      now: () => at(ymd),
      actor: { userId: 'u-test', username: 'tester', displayName: '测试员', role: 'staff', personId },
    });
    const r = await inTransaction(ctxAt('2026-03-02'), (c) =>
      requestCreator(
        c,
        {
          unitId: 'tp-unit',
          applicantKind: 'legalPerson',
          organisationKind: 'legalService',
          organisationCode: '91330304MA00000000',
          name: '某律师事务所',
          phone: '13912345678',
          description: '2025年保障性租赁住房项目认定清单',
          deliveryForm: 'electronic',
          deliveryMethod: 'email',
        },
        { channel: 'inPerson', submittedOn: '2026-03-02' },
      ),
    );
    tracking = { number: r.trackingNumber, code: r.queryCode };
    await inTransaction(ctxAt('2026-03-04'), (c) =>
      consultationStarter(c, r.id, { onDate: '2026-03-04', party: '某置业有限公司' }),
    );
    await inTransaction(ctxAt('2026-03-11'), (c) => consultationEnder(c, r.id, { onDate: '2026-03-11' }));
    await inTransaction(ctxAt('2026-03-16'), (c) =>
      replyMaker(c, r.id, {
        onDate: '2026-03-16',
        outcome: 'alreadyPublic',
        detail: '本局网站“政务公开”栏目',
      }),
    );
    await inTransaction(ctxAt('2026-03-17'), (c) =>
      replyDeliverer(c, r.id, { onDate: '2026-03-17', method: '电子邮件' }),
    );
    app = await buildApp({ store: ts.store, now: () => at('2026-03-20') });
    base = await listen(app);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await ts?.dispose();
  });

  test('from 依申请公开 to the reply: no script needed, axe-clean, fits 320 px', async () => {
    const context = await contextWith(browser, base, { javaScriptEnabled: false, width: 320 });
    const page = await context.newPage();
    await page.goto(`${base}/xxgk/apply`);
    await page.getByRole('link', { name: '查询办理进度和答复' }).click();
    await page.getByLabel('申请编号').fill(tracking.number);
    await page.getByLabel('查询码').fill(tracking.code);
    await page.getByRole('button', { name: '查询' }).click();
    const text = await page.evaluate(() => document.body.textContent ?? '');
    assert.match(text, new RegExp(`申请编号 ${tracking.number}`));
    assert.match(text, /已送达/);
    assert.match(text, /第三十六条第（一）项/);
    assert.match(text, /征求第三方或其他机关意见/);
    for (const secret of ['某律师事务所', '13912345678', '某置业有限公司'])
      assert.ok(!text.includes(secret), secret);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${overflow}px wider than the 320px screen`);
    const url = page.url();
    await context.close();

    // axe needs script in the page; the site itself runs none, so the same URL is checked with it on
    const withJs = await contextWith(browser, base, { width: 1280 });
    const twin = await withJs.newPage();
    const problems: string[] = [];
    for (const path of [url, `${base}/xxgk/apply/track`, `${base}/xxgk/apply/track?number=x&code=y`]) {
      await twin.goto(path);
      const vs = await axe(twin);
      if (vs.length) problems.push(`${path}:\n  ${describeViolations(vs)}`);
    }
    if (process.env.GK_SCREENSHOT) {
      await twin.goto(url);
      await twin.screenshot({ path: process.env.GK_SCREENSHOT, fullPage: true });
    }
    await withJs.close();
    assert.equal(problems.join('\n'), '');
  });

  test('the online application: filled in and sent without script, then tracked; axe-clean, fits 320 px', async () => {
    const context = await contextWith(browser, base, { javaScriptEnabled: false, width: 320 });
    const page = await context.newPage();
    await page.goto(`${base}/xxgk/apply`);
    await page.getByRole('link', { name: '网上申请' }).click();
    const formUrl = page.url();
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the form is ${overflow}px wider than the 320px screen`);
    await page.getByLabel('受理机关 *').selectOption('tp-unit');
    await page.getByLabel('姓名或者名称 *').fill('郑某某');
    await page.getByLabel('身份证件类型').fill('居民身份证');
    await page.getByLabel('身份证件号码 *（公民必填）').fill('330304199001011234');
    await page.getByLabel('联系电话').fill('13712345678');
    await page.getByLabel('所需政府信息的名称或者内容描述 *').fill('某小区加装电梯补助发放情况');
    await page.getByLabel('电子数据').check();
    await page.getByLabel('电子邮件').check();
    await page.getByLabel('电子邮箱').fill('zheng@example.cn');
    await page.getByRole('button', { name: '提交申请' }).click();
    const text = await page.evaluate(() => document.body.textContent ?? '');
    assert.match(text, /申请已提交/);
    const number = /YSQ2026\d{6}/.exec(text)?.[0];
    assert.ok(number);
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the answer is ${overflow}px wider than the 320px screen`);
    const receivedUrl = page.url();
    await page.getByRole('link', { name: '查询办理进度' }).click();
    const tracked = await page.evaluate(() => document.body.textContent ?? '');
    assert.match(tracked, new RegExp(`申请编号 ${number}`));
    assert.match(tracked, /已收到/);
    assert.ok(!tracked.includes('郑某某'));
    await context.close();

    const withJs = await contextWith(browser, base, { width: 1280 });
    const twin = await withJs.newPage();
    await twin.goto(formUrl);
    const problems: string[] = [];
    let vs = await axe(twin);
    if (vs.length) problems.push(`the form:\n  ${describeViolations(vs)}`);
    // the form sent with what is missing: the errors are announced and tied to their fields
    await twin.getByRole('button', { name: '提交申请' }).evaluate((b) => {
      (b.closest('form') as HTMLFormElement).noValidate = true;
    });
    await twin.getByRole('button', { name: '提交申请' }).click();
    assert.match(await twin.evaluate(() => document.body.textContent ?? ''), /请检查标出的项目/);
    vs = await axe(twin);
    if (vs.length) problems.push(`the form with errors:\n  ${describeViolations(vs)}`);
    assert.ok(receivedUrl.endsWith('/xxgk/apply/online'));
    await withJs.close();
    assert.equal(problems.join('\n'), '');
  });
});
