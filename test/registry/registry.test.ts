import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

interface PersonRef {
  name: string;
}
interface WorkItemOut {
  number: string | null;
  title: string;
  functions: string[];
  responsibilities: { kind: string; text: string }[];
  flowCodes: string[];
  lead: PersonRef | null;
  assistants: PersonRef[];
  note: string | null;
}
interface PositionOut {
  name: string;
  serial: number | null;
  holders: PersonRef[];
  supervises: { name: string }[];
  workItems: WorkItemOut[];
}
interface UnitOut {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
  parentId: string | null;
  regionCode: string | null;
  remit: string | null;
  workItemCount: number;
  positions: PositionOut[];
}

const names = (people: PersonRef[]) => people.map((p) => p.name);

/**
 * Seed 000 as printed: each table's posts in 序号 order with their holders and the number of work items (rows).
 * 山亭区住房和城乡建设局: 3 leaders and 13 business posts, 36 items; 住房保障服务中心 3 posts, 建筑业发展服务中心 4.
 */
const seedTables: [string, [string, string[], number][]][] = [
  [
    '山亭区住房和城乡建设局',
    [
      ['正职岗位', ['孙鸿鹄'], 1],
      ['副职岗位1', ['王辉'], 1],
      ['副职岗位2', [], 1],
      ['综合管理岗', ['孙浩', '潘伟'], 8],
      ['法制工作岗', ['刘志珠'], 4],
      ['城市建设管理岗', ['王辉'], 5],
      ['人防公共服务管理岗', ['陈杰'], 4],
      ['房地产业申报岗', ['潘伟'], 1],
      ['房地产业政策审核岗', ['潘伟'], 2],
      ['建筑市场管理岗', ['刘志珠'], 1],
      ['招投标管理岗', ['刘志珠'], 1],
      ['建筑节能管理岗', ['刘志珠'], 1],
      ['人才培训管理岗', ['刘志珠'], 1],
      ['城镇化岗', ['王辉'], 2],
      ['农房建设岗', ['王辉'], 2],
      ['农厕改造岗', ['王辉'], 1],
    ],
  ],
  [
    '山亭区住房保障服务中心',
    [
      ['住房保障服务岗', ['潘伟'], 1],
      ['物业服务岗', ['潘伟'], 1],
      ['房屋征收服务岗', ['潘伟'], 1],
    ],
  ],
  [
    '山亭区建筑业发展服务中心',
    [
      ['建筑市场服务岗', ['刘志珠'], 1],
      ['招投标服务岗', ['刘志珠'], 1],
      ['建筑节能服务岗', ['刘志珠'], 1],
      ['人才培训服务岗', ['刘志珠'], 1],
    ],
  ],
];

/** Seed 004 附件2: the ten 专题小组 in printed order: 组长, 联络员, how many 副组长 and 成员 (组员) it prints. */
const topicGroups: [string, string, string, number, number][] = [
  ['征地补偿组', '董群策', '王斌枢', 2, 4],
  ['拆迁安置组', '陈敏', '林品双', 7, 10],
  ['保障性住房组', '刘晓千', '何晓春', 4, 5],
  ['农村危房改造组', '刘晓千', '孙青青', 8, 5],
  ['扶贫工作组', '金守信', '季克钰', 6, 9],
  ['救灾工作组', '姜文龙', '陈晓锋', 7, 9],
  ['市政服务组', '林彩萍', '章忠建', 3, 6],
  ['公共资源交易组', '卢寿光', '王旭文', 9, 12],
  ['义务教育组', '林和国', '陈尔飞', 3, 14],
  ['为民办实事项目组', '林益正', '陈熠锋', 2, 6],
];

for (const backend of backendNames) {
  describe(`registry with the demo district [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      const result = await loadDemo(ts.ctx, 'Demo-pass-2026');
      assert.equal(result.loaded, true);
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('lists the three seed units of 山亭区住建局 with all their work items', async () => {
      for (const url of ['/api/v1/units?root=st-zjj', '/api/v1/units']) {
        const res = await app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200);
        const units = (res.json() as { items: UnitOut[] }).items;
        const byName = (n: string) => units.find((u) => u.name === n);
        const bureau = byName('山亭区住房和城乡建设局');
        assert.ok(bureau, `${url}: the bureau is listed`);
        const centres = ['山亭区住房保障服务中心', '山亭区建筑业发展服务中心'].map(byName);
        for (const c of centres) {
          assert.equal(c?.kind, 'centre', `${url}: ${c?.name}`);
          assert.equal(c?.parentId, bureau.id, '隶属关系：区住建局所属');
        }
        assert.equal(centres[0]?.remit, '为人民群众提供住房保障服务。');
        assert.equal(centres[1]?.remit, '强化建筑业人才培训，规范建筑业市场，承担工程质量安全辅助工作。');
        // the bureau's posts sit in it and in its 股室; every unit of the subtree counts its own items
        const subtree = units.filter((u) => u === bureau || u.parentId === bureau.id);
        assert.deepEqual(
          subtree.filter((u) => u.kind === 'section').map((u) => u.name),
          ['城市建设股', '乡村建设股', '办公室', '工程建设管理股', '房地产业管理股'],
        );
        const count = (us: UnitOut[]) => us.reduce((n, u) => n + u.workItemCount, 0);
        assert.equal(count(subtree.filter((u) => u.kind !== 'centre')), 36, `${url}: the bureau's table`);
        assert.equal(centres[0]?.workItemCount, 3);
        assert.equal(centres[1]?.workItemCount, 4);
        assert.equal(count(subtree), 43, `${url}: every row of the seed table`);
        const positions = subtree.flatMap((u) => u.positions);
        assert.equal(positions.length, 23);
        // each post of the seed with its holders and its number of work items
        const seen = new Map(positions.map((p) => [p.name, [names(p.holders), p.workItems.length]]));
        for (const [, posts] of seedTables) {
          for (const [name, holders, items] of posts)
            assert.deepEqual(seen.get(name), [holders, items], name);
        }
        const deputy1 = positions.find((p) => p.name === '副职岗位1');
        assert.deepEqual(
          deputy1?.supervises.map((u) => u.name),
          ['城市建设股', '乡村建设股'],
          '分管',
        );
      }
    });

    test('each work item carries the seed row: functions, typed responsibilities, flow codes, lead, assistants, note', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/work-items?unit=st-zjj&flowCode=12-2' });
      const items = (res.json() as { items: (WorkItemOut & { id: string; positionId: string })[] }).items;
      assert.equal(items.length, 1);
      const { id: _id, positionId: _p, ...row } = items[0]!;
      assert.deepEqual(
        { ...row, lead: row.lead?.name, assistants: names(row.assistants) },
        {
          number: '二',
          title: '危房改造监管',
          functions: [
            '会同有关部门制定确定农村危房改造对象和改造验收工作流程。',
            '监督指导乡镇（街道）按程序拟定危房改造补助对象按标准进行改造。',
            '组织验收。',
            '申报拨付款项。',
          ],
          responsibilities: [
            { kind: '上报责任', text: '向市级上报年度任务数量，向领导汇报工作。' },
            {
              kind: '组织实施责任',
              text: '组织危房改造动员会；组织危房改造流程及统计培训；组织住建、财政、民政、想村镇刑拘等单位联合验收。',
            },
            { kind: '指导责任', text: '危房改造政策等指导。' },
            {
              kind: '审查公示责任',
              text: '对镇街级上报危房改造户进行资料及现场入户审查，对符合条件的农户进行区级公示。',
            },
            {
              kind: '督查责任',
              text: '对危房改造全过程进行督查。对不符合流程及改造条件等情况进行通报批评责令限期整改。',
            },
            { kind: '统计责任', text: '统计危房改造各项数据。' },
            { kind: '文件收发责任', text: '接收上级文件，向镇街发相关文件、通知、通报。' },
            { kind: '接收检查责任', text: '接受国家、省、市督导验收。' },
          ],
          flowCodes: ['12-2'],
          lead: '王辉',
          assistants: ['魏永水', '贺德成'],
          note: null,
        },
      );
      // the three leaders' items share the 三重一大 and 一般事项 flows; 副职岗位2 carries the table's 备注
      const leaders = (
        (await app.inject({ method: 'GET', url: '/api/v1/work-items?unit=st-zjj&flowCode=00-1' })).json() as {
          items: WorkItemOut[];
        }
      ).items;
      assert.equal(leaders.length, 3);
      assert.ok(leaders.every((w) => w.flowCodes.join() === '00-1,00-2'));
      assert.ok(
        leaders.some(
          (w) =>
            w.note ===
            '孙浩负责办公室，刘志珠负责工程建设管理股、周生强负责房地产业管理股（待另一名副局长配齐后明确分工）',
        ),
      );
      // the centres' posts: their numbered 工作事项 as functions, the centres' common flow, lead and assistants
      const centre = (
        (await app.inject({ method: 'GET', url: '/api/v1/work-items?unit=st-bzzx' })).json() as {
          items: WorkItemOut[];
        }
      ).items;
      assert.deepEqual(
        centre.map((w) => [w.title, w.functions.length, w.flowCodes, w.lead?.name, names(w.assistants)]),
        [
          ['住房保障服务', 4, ['zx-1'], '潘伟', ['刘广海', '陈宪芳']],
          ['物业服务', 4, ['zx-1'], '潘伟', ['罗永', '孙景超']],
          ['房屋征收服务', 5, ['zx-1'], '潘伟', ['周生强']],
        ],
      );
      const positions = (
        (await app.inject({ method: 'GET', url: '/api/v1/positions?unit=st-jzyzx' })).json() as {
          items: PositionOut[];
        }
      ).items;
      assert.deepEqual(
        positions.map((p) => p.name),
        ['建筑市场服务岗', '招投标服务岗', '建筑节能服务岗', '人才培训服务岗'],
      );
    });

    test('瓯海区: the units of the annexes, the leading group and the ten topic groups with their people', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/units?root=oh-gov' });
      const units = (res.json() as { items: UnitOut[] }).items;
      assert.equal(units[0]?.name, '温州市瓯海区人民政府');
      assert.ok(units.every((u) => u.regionCode === '330304'));
      const short = new Set(units.map((u) => u.shortName ?? u.name));
      // 附件1: the member units of the leading group
      for (const n of [
        '区府办',
        '区委宣传部',
        '区信访局',
        '区档案局',
        '区考绩办',
        '区委农办（农林渔业局）',
        '区编办',
        '区教育局',
        '区民政局',
        '区财政局',
        '区住建局',
        '区综合执法局',
        '区交通局',
        '区文广新局',
        '区质监局',
        '区国土资源分局',
        '区审管办',
        '区征收办',
        '区新闻和网络信息中心',
        '区法制办',
        '区保密局',
      ]) {
        assert.ok(short.has(n), `${n} is a unit`);
      }
      const roles = (u: UnitOut | undefined) =>
        Object.fromEntries((u?.positions ?? []).map((p) => [p.name, names(p.holders)]));
      const leading = units.find(
        (u) => u.name === '温州市瓯海区基层政务公开标准化规范化全国试点工作领导小组',
      );
      assert.equal(leading?.kind, 'group');
      const lg = roles(leading);
      assert.deepEqual(lg.组长, ['王振勇']);
      assert.deepEqual(lg.第一副组长, ['金衍光']);
      assert.deepEqual(lg.副组长, ['潘小林', '王晓康', '陈朝明', '余程']);
      assert.equal(lg.成员?.length, 21);
      assert.deepEqual([lg.成员?.[0], lg.成员?.at(-1)], ['林益正', '周呈帆']);
      const office = roles(units.find((u) => u.name === '试点工作领导小组办公室'));
      assert.deepEqual([office.办公室主任, office.办公室副主任], [['胡松勤'], ['陈熠锋']]);

      const groups = units.filter((u) => u.kind === 'group' && u.parentId === leading?.id);
      assert.deepEqual(
        groups.map((g) => g.name).slice(0, 10),
        topicGroups.map(([n]) => n),
      );
      for (const [name, leader, liaison, deputies, members] of topicGroups) {
        const g = roles(groups.find((u) => u.name === name));
        assert.deepEqual(g.组长, [leader], `${name} 组长`);
        assert.equal(g.第一副组长?.length, 1, `${name} 第一副组长`);
        assert.equal(g.副组长?.length, deputies, `${name} 副组长`);
        assert.equal(g.成员?.length, members, `${name} 成员`);
        assert.deepEqual(g.联络员, [liaison], `${name} 联络员`);
        assert.ok(g.成员?.includes(liaison), `${name}: the liaison officer is a member`);
      }
      assert.deepEqual(roles(groups[0]), {
        组长: ['董群策'],
        第一副组长: ['李秀洪'],
        副组长: ['陈崇福', '周岩庆'],
        成员: ['王斌枢', '吴丽洁', '张益强', '潘双双'],
        联络员: ['王斌枢'],
      });
    });

    test('every demo person has one account named by the pinyin of the name, duplicates numbered', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const users = (
        (await app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers })).json() as {
          items: { username: string; displayName: string; role: string; personId: string | null }[];
        }
      ).items;
      const people = await ts.store.db.selectFrom('people').select(['id', 'name']).execute();
      const accounts = users.filter((u) => u.personId);
      assert.equal(accounts.length, people.length, 'one account per person');
      assert.deepEqual(new Set(accounts.map((u) => u.personId)), new Set(people.map((p) => p.id)));
      const byName = (n: string) => accounts.filter((u) => u.displayName === n).map((u) => u.username);
      assert.deepEqual(byName('孙鸿鹄'), ['sunhonghu']);
      assert.deepEqual(byName('单云胜'), ['shanyunsheng'], '单 read as a surname');
      // 柳俏 (瓯海) and 刘乔 (山亭) are both liuqiao: the second is numbered
      assert.deepEqual(new Set([...byName('柳俏'), ...byName('刘乔')]), new Set(['liuqiao', 'liuqiao2']));
      // leaders and group heads are leaders, everyone else staff; no demo account is an administrator
      const role = (n: string) => accounts.find((u) => u.displayName === n)?.role;
      assert.deepEqual(['孙鸿鹄', '王振勇', '董群策', '崔根', '王斌枢'].map(role), [
        'leader',
        'leader',
        'leader',
        'staff',
        'staff',
      ]);
      assert.deepEqual([...new Set(accounts.map((u) => u.role))].sort(), ['leader', 'staff']);
      const second = byName('刘乔')[0]!;
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: second, password: 'Demo-pass-2026' },
      });
      assert.equal(login.statusCode, 200);
      assert.equal((login.json() as { user: { displayName: string } }).user.displayName, '刘乔');
    });

    test('filters work items by flow code, following the table-to-chart aliases', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/work-items?flowCode=01-1-1' });
      const items = (res.json() as { items: { title: string; flowCodes: string[] }[] }).items;
      assert.ok(items.length >= 1);
      assert.ok(items.every((w) => w.flowCodes.includes('01-1-1')));
      const danger = await app.inject({ method: 'GET', url: '/api/v1/work-items?flowCode=12-2&unit=st-zjj' });
      const dItems = (danger.json() as { items: { title: string }[] }).items;
      assert.ok(
        dItems.some((w) => w.title.includes('危房改造')),
        'the 危房改造 duty carries flow 12-2',
      );
    });

    test('every demo person can sign in with the demo password under the pinyin of their name', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'sunhonghu', password: 'Demo-pass-2026' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(
        (res.json() as { user: { displayName: string; role: string } }).user.displayName,
        '孙鸿鹄',
      );
      assert.equal((res.json() as { user: { role: string } }).user.role, 'leader');
    });

    test('writes need an administrator; bad input names the field and changes nothing', async () => {
      const anon = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        payload: { parentId: null, name: 'x', kind: 'bureau' },
      });
      assert.equal(anon.statusCode, 401);
      const staff = await signIn(app, ts, 'staff');
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: staff.headers,
        payload: { parentId: null, name: 'x', kind: 'bureau' },
      });
      assert.equal(denied.statusCode, 403);
      const admin = await signIn(app, ts, 'sysadmin');
      const before = await ts.store.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: 'st-zjj', name: '', kind: 'castle' },
      });
      assert.equal(bad.statusCode, 400);
      const body = bad.json() as { code: string; fields: { field: string }[] };
      assert.equal(body.code, 'validation_failed');
      assert.deepEqual(body.fields.map((f) => f.field).sort(), ['body.kind', 'body.name']);
      const afterCount = await ts.store.db
        .selectFrom('units')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: admin.headers,
        payload: { parentId: 'st-zjj', name: '城市管理股', kind: 'section' },
      });
      assert.equal(ok.statusCode, 201);
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: { cookie: admin.cookie },
        payload: { parentId: 'st-zjj', name: '另一个股', kind: 'section' },
      });
      assert.equal(noCsrf.statusCode, 403);
    });

    test('a person holds a position from a date to a date, so history is kept', async () => {
      const admin = await signIn(app, ts, 'sysadmin');
      const p = await app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: admin.headers,
        payload: { name: '测试人', unitId: 'st-zjj' },
      });
      const personId = (p.json() as { id: string }).id;
      const past = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: admin.headers,
        payload: { personId, positionId: 'zjj-post-01', startsOn: '2019-01-01', endsOn: '2020-12-31' },
      });
      assert.equal(past.statusCode, 201);
      const units = (await app.inject({ method: 'GET', url: '/api/v1/units/st-zjj' })).json() as UnitOut & {
        descendants: UnitOut[];
      };
      const post = [units, ...units.descendants]
        .flatMap((u) => u.positions)
        .find((x) => x.name.includes('综合管理'));
      assert.ok(post);
      assert.ok(!post.holders.some((h) => h.name === '测试人'), 'a past holder is not a current holder');
      const rows = await ts.store.db
        .selectFrom('appointments')
        .selectAll()
        .where('person_id', '=', personId)
        .execute();
      assert.equal(rows.length, 1, 'the past appointment is kept');
    });

    test('the printable 定岗定责定流程表 shows every column and item, in 序号 order, a table per 所属单位', async () => {
      const res = await app.inject({ method: 'GET', url: '/org/st-zjj/table' });
      assert.equal(res.statusCode, 200);
      const text = (h: string) =>
        h
          .replace(/<br>/g, '\n')
          .replace(/<[^>]+>/g, '')
          .trim();
      // every table: its title, what it belongs to and its remit, the header, then one row per work item
      const tables = res.body.split(/(?=<h[12] class="center">)/).slice(1);
      assert.equal(tables.length, 3);
      for (const [i, [unit, posts]] of seedTables.entries()) {
        const t = tables[i]!;
        assert.equal(text(/<h[12][^>]*>(.*?)<\/h[12]>/.exec(t)?.[1] ?? ''), `${unit}定岗定责定流程表`);
        const headers = [...t.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
        assert.deepEqual(headers, [
          '序号',
          '岗位名称',
          '工作事项',
          '岗位职能描述',
          '岗位责任描述',
          '工作流程',
          '牵头负责人',
          '辅助人员',
          '备注',
        ]);
        const rows = [...t.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((m) => m[1]!);
        assert.equal(
          rows.length,
          posts.reduce((n, [, , items]) => n + items, 0),
          `${unit}: one row per work item`,
        );
        // the first row of each post: 序号 1, 2, 3 … and the post's name, as printed
        const firsts = rows
          .filter((r) => r.includes('rowspan'))
          .map((r) => [...r.matchAll(/<td rowspan="\d+">(.*?)<\/td>/g)].map((m) => text(m[1]!)));
        assert.deepEqual(
          firsts.map(([serial, name]) => [
            Number(serial),
            name
              ?.split('\n')
              .pop()
              ?.replace(/^\d+、/, ''),
          ]),
          posts.map(([name], k) => [k + 1, name]),
        );
      }
      assert.match(tables[0]!, /<td>一、公文分发、办理<\/td>/);
      assert.match(tables[0]!, /<td>孙鸿鹄<\/td>/);
      assert.match(tables[0]!, /<td>魏永水、贺德成<\/td>/);
      assert.match(tables[1]!, /<p>隶属关系：区住建局所属<\/p>/);
      assert.match(tables[1]!, /<p>宗旨和业务范围：为人民群众提供住房保障服务。<\/p>/);
      assert.match(
        tables[2]!,
        /<p>宗旨和业务范围：强化建筑业人才培训，规范建筑业市场，承担工程质量安全辅助工作。<\/p>/,
      );
      // a centre's own page prints whom it belongs to as well
      const centre = await app.inject({ method: 'GET', url: '/org/st-bzzx/table' });
      assert.match(centre.body, /<h1 class="center">山亭区住房保障服务中心定岗定责定流程表<\/h1>/);
      assert.match(centre.body, /<p>隶属关系：区住建局所属<\/p>/);
    });

    test('health and OpenAPI', async () => {
      const h = await app.inject({ method: 'GET', url: '/api/v1/health' });
      assert.deepEqual(h.json(), { status: 'ok', database: backend });
      const o = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(o.statusCode, 200);
      type Op = { parameters?: { name: string; in: string }[]; 'x-access'?: unknown };
      const doc = o.json() as { openapi: string; paths: Record<string, Record<string, Op>> };
      assert.match(doc.openapi, /^3\./);
      for (const path of ['/health', '/units', '/units/{id}', '/positions', '/people', '/work-items']) {
        assert.ok(doc.paths[`/api/v1${path}`]?.get, `GET /api/v1${path} is described`);
      }
      assert.deepEqual(
        (doc.paths['/api/v1/work-items']?.get?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort(),
        ['query:flowCode', 'query:unit'],
      );
      for (const path of ['/units', '/positions', '/people', '/appointments', '/supervisions']) {
        assert.deepEqual(
          doc.paths[`/api/v1${path}`]?.post?.['x-access'],
          ['sysadmin'],
          `POST ${path}: administrators`,
        );
      }
      assert.deepEqual(doc.paths['/api/v1/work-items/{id}']?.put?.['x-access'], ['sysadmin']);
      // the people are for signed-in staff; anonymous callers get the JSON error shape
      const anon = await app.inject({ method: 'GET', url: '/api/v1/people?unit=st-zjj' });
      assert.equal(anon.statusCode, 401);
      assert.deepEqual(Object.keys(anon.json() as object).sort(), ['code', 'fields', 'message']);
      const staff = await signIn(app, ts, 'staff');
      const people = (
        (
          await app.inject({ method: 'GET', url: '/api/v1/people?unit=st-zjj', headers: staff.headers })
        ).json() as {
          items: { name: string; positions: { name: string }[] }[];
        }
      ).items;
      assert.deepEqual(
        people.find((p) => p.name === '孙鸿鹄')?.positions.map((p) => p.name),
        ['正职岗位'],
      );
      const missing = await app.inject({ method: 'GET', url: '/api/v1/units/no-such-unit' });
      assert.equal(missing.statusCode, 404);
      assert.equal((missing.json() as { code: string }).code, 'not_found');
    });
  });
}
