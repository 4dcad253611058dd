/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, so these files see the DOM types.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { buildApp } from '../../src/server/app.ts';
import { freshStore, type TestStore } from '../support/backends.ts';
import { axe, contextWith, describeViolations, launch, listen } from './browser.ts';

// One backend is enough here: these tests look at the pages in a browser, not at the database.
describe('portal pages in headless Chromium', () => {
  let ts: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  // The page types; the ones that need a record id are filled in from the demo district in before().
  const pageTypes: string[] = [
    '/',
    '/xxgk',
    '/xxgk/guide',
    '/xxgk/rules',
    '/xxgk/proactive',
    '/xxgk/apply',
    '/xxgk/reports',
    '/xxgk/catalogue',
    '/xxgk/on-request',
    '/xxgk/documents',
    '/accessibility',
    '/areas',
    '/bodies',
    '/years',
    '/notices',
    '/gazette',
    '/sitemap',
    '/feeds',
    '/search',
    '/search?q=%E5%8D%B1%E6%88%BF',
    '/search?q=%E5%9C%B0%E9%93%81%E7%AB%99',
    '/org',
    '/org/st-zjj',
    '/org/st-zjj/table',
    '/org/no-such-unit',
  ];
  // Every mode on the pages that differ most; the full list in the standard mode and without script.
  const modePages = ['/', '/search?q=%E5%8D%B1%E6%88%BF', '/xxgk/guide'];

  before(async () => {
    ts = await freshStore('sqlite');
    await loadDemo(ts.ctx, 'Demo-pass-2026');
    app = await buildApp({ store: ts.store });
    base = await listen(app);
    const pick = async (url: string, re: RegExp) => {
      const m = (await app.inject({ url })).body.match(re);
      assert.ok(m?.[1], `${url} links to ${re}`);
      return m[1];
    };
    const openNotice = await pick('/notices?state=open', /href="(\/records\/[^"]+)"/);
    const area = await pick('/areas', /href="(\/areas\/[^"/]+)"/);
    pageTypes.push(
      openNotice,
      await pick('/xxgk/catalogue', /href="(\/records\/[^"]+)"/),
      await pick('/notices?state=closed', /href="(\/records\/[^"]+)"/),
      area,
      `${area}?stage=result`,
      await pick('/areas', /href="(\/areas\/[^"/]+\/[^"/]+)"/),
      await pick('/bodies', /href="(\/bodies\/[^"]+)"/),
      await pick('/years', /href="(\/years\/[^"]+)"/),
      await pick('/gazette', /href="(\/gazette\/\d+\/\d)"/),
    );
    modePages.push(openNotice, area);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await ts?.dispose();
  });

  for (const [mode, prefs] of [
    ['standard', ''],
    ['large text', 'L'],
    ['high contrast', 'C'],
    ['large text and high contrast', 'LC'],
  ] as const) {
    test(`axe finds no violation on any page type (${mode})`, async () => {
      const context = await contextWith(browser, base, { prefs });
      const page = await context.newPage();
      const problems: string[] = [];
      for (const path of prefs ? modePages : pageTypes) {
        await page.goto(base + path);
        const vs = await axe(page);
        if (vs.length) problems.push(`${path}:\n  ${describeViolations(vs)}`);
      }
      await context.close();
      assert.equal(problems.join('\n'), '', 'axe violations');
    });
  }

  test('without JavaScript the pages are the same documents, axe-clean, and fit 320 px without sideways scrolling', async () => {
    // axe itself needs timers, which do not run where scripts are disabled; so the page is loaded both ways and
    // must be the same document (the site runs no script), and axe checks the JavaScript-enabled copy.
    const noJs = await contextWith(browser, base, { javaScriptEnabled: false, width: 320 });
    const withJs = await contextWith(browser, base, { width: 320 });
    const page = await noJs.newPage();
    const twin = await withJs.newPage();
    const problems: string[] = [];
    for (const path of pageTypes.filter((p) => !p.endsWith('/table'))) {
      await page.goto(base + path);
      await twin.goto(base + path);
      const dom = await page.evaluate(() => document.documentElement.outerHTML);
      const twinDom = await twin.evaluate(() => document.documentElement.outerHTML);
      // An open notice's objection form carries a fresh token on every render; the rest must be identical.
      const plain = (d: string) => d.replace(/name="token" value="[^"]*"/g, '');
      if (plain(dom) !== plain(twinDom)) problems.push(`${path}: the page differs with JavaScript disabled`);
      const vs = await axe(twin);
      if (vs.length) problems.push(`${path}:\n  ${describeViolations(vs)}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) problems.push(`${path}: ${overflow}px wider than the 320px screen`);
    }
    await noJs.close();
    await withJs.close();
    assert.equal(problems.join('\n'), '');
  });

  test('large text and high contrast persist across pages without JavaScript', async () => {
    const context = await contextWith(browser, base, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/xxgk/guide`);
    const before = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await page.getByRole('link', { name: '大字号' }).click();
    assert.equal(new URL(page.url()).pathname, '/xxgk/guide', 'back on the same page');
    const after = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    assert.ok(Number.parseFloat(after) > Number.parseFloat(before), `text grew: ${before} → ${after}`);
    await page.getByRole('link', { name: '高对比度' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '机构职能' }).click();
    assert.equal(new URL(page.url()).pathname, '/org');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(0, 0, 0)', 'still high contrast on the next page');
    assert.ok(await page.getByRole('link', { name: '标准字号' }).isVisible(), 'still large text');
    await page.getByRole('link', { name: '标准字号' }).click();
    await page.getByRole('link', { name: '标准配色' }).click();
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      'rgb(255, 255, 255)',
    );
    await context.close();
  });

  test('keyboard: the first Tab shows the skip link with a visible focus ring; Enter moves to the content', async () => {
    const context = await contextWith(browser, base);
    const page = await context.newPage();
    await page.goto(`${base}/xxgk`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { text: el.textContent, outline: s.outlineStyle, width: s.outlineWidth, left: r.left };
    });
    assert.equal(focused.text, '跳到正文');
    assert.ok(focused.left >= 0, 'on screen when focused');
    assert.equal(focused.outline, 'solid');
    assert.equal(focused.width, '3px');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement?.closest('main') !== null);
    assert.ok(next, 'after the skip link, Tab continues inside the main content');
    await context.close();
  });

  test('search from the header form, without JavaScript: 危房 finds the notice and marks the word', async () => {
    const context = await contextWith(browser, base, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByRole('searchbox', { name: '站内搜索' }).fill('危房');
    await page.getByRole('button', { name: '搜索' }).first().click();
    await page.getByRole('heading', { name: /找到 \d+ 条/ }).waitFor();
    const marks = await page.locator('main mark').allTextContents();
    assert.ok(marks.includes('危房'), `marked: ${marks.join(',')}`);
    await page
      .getByRole('link', { name: /纸山村.*危房改造/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: /纸山村.*危房改造.*公示/ }).waitFor();
    await context.close();
  });

  test('done when: a newcomer reaches the 危房改造 notice of a village from the home page in three clicks', async () => {
    const context = await contextWith(browser, base, { javaScriptEnabled: false, width: 360 });
    const page = await context.newPage();
    await page.goto(base);
    let clicks = 0;
    await page.getByRole('link', { name: '农村危房改造', exact: true }).click();
    clicks++;
    // The area page lists the notice under 公示公告 and again in the record list; either link will do.
    await page
      .getByRole('link', { name: /纸山村.*危房改造/ })
      .first()
      .click();
    clicks++;
    const h1 = await page.getByRole('heading', { level: 1 }).textContent();
    assert.match(h1 ?? '', /纸山村.*危房改造.*公示/);
    assert.ok(clicks <= 3, `${clicks} clicks`);
    assert.ok(
      await page.getByText('村级公示', { exact: true }).isVisible(),
      'the notice level and period are shown',
    );
    assert.ok(await page.getByText(/公示期：2024-04-08 至 2024-04-14/).isVisible());
    await context.close();
  });

  test('objection to an open notice by keyboard only, with and without JavaScript; the confirmation is axe-clean', async () => {
    const noticePath = pageTypes.find((p) => p.startsWith('/records/')) ?? '/';
    // The portal ships no script, so the same keyboard steps must work with JavaScript off and on. axe needs
    // script, so the confirmation page is checked in the second run.
    for (const javaScriptEnabled of [false, true]) {
      const context = await contextWith(browser, base, { javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(base + noticePath);
      await page.getByLabel('异议内容（必填）').focus();
      await page.keyboard.type(`名单第3户家中另有住房，请核实。${javaScriptEnabled ? '（二）' : ''}`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: '异议已提交' }).waitFor();
      if (javaScriptEnabled) assert.equal(describeViolations(await axe(page)), '');
      await context.close();
    }
  });
});
