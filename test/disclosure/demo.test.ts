import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { parseIndexNumber } from '../../src/disclosure/indexNumber.ts';
import { signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

interface AreaOut {
  id: string;
  name: string;
  abbreviation: string;
  scope: string | null;
  leadUnits: { id: string; name: string }[];
  subAreas: { number: string; name: string }[];
}
interface ItemOut {
  stage: string;
  matter1: string;
  matter2: string | null;
  responsibleUnits: { id: string }[];
  responsibleNote: string | null;
}

interface RecordOut {
  title: string;
  indexNumber: string;
  attribute: string;
  attributeName: string;
  originName: string;
  stageName: string;
  exemptionBasis: string | null;
  negativeListEntry: { matter: string } | null;
  area: { name: string } | null;
  subArea: { name: string } | null;
  duty: { name: string } | null;
}

/**
 * Seed 004 附件7 5. 政府信息清单 (拆迁安置, 管理, 国有土地上房屋征收与补偿 (征收-00207-000)), row by row as printed:
 * 信息来源, 信息索引号 (its printed tail), 政府信息名称, 公开属性 (公开 = 主动公开), 不公开依据.
 */
const seedInformationList: [string, string, string, string, string][] = [
  ['获取信息', '100-Y', 'XX项目国有土地上房屋征收与补偿申请报告', '依申请公开', ''],
  ['获取信息', '101-Y', 'XX建设项目规划红线图', '依申请公开', ''],
  ['获取信息', '102-Y', 'XX项目房屋征收社会稳定风险评估报告', '依申请公开', ''],
  ['制作信息', '120-B', 'XX项目国有土地上房屋征收与补偿启动阶段材料审查报告', '不予公开', '内部信息'],
  ['制作信息', '121-G', '关于XX项目房屋征收范围内房屋调查登记的通知', '主动公开', ''],
  ['制作信息', '122-Y', 'XX项目房屋征收与补偿论证会论证结论', '依申请公开', ''],
];

/** rules.md §3: the 26 areas of the national grassroots guidelines. */
const nationalAreaNames = [
  '安全生产',
  '保障性住房',
  '财政预决算',
  '城市综合执法',
  '城乡规划',
  '扶贫',
  '公共法律服务',
  '公共文化服务',
  '国有土地上房屋征收与补偿',
  '户籍管理',
  '救灾',
  '就业',
  '农村集体土地征收',
  '农村危房改造',
  '社会保险',
  '社会救助',
  '涉农补贴',
  '食品药品监管',
  '市政服务',
  '税收管理',
  '卫生健康',
  '养老服务',
  '义务教育',
  '重大建设项目',
  '公共资源交易',
  '生态环境',
];

for (const backend of backendNames) {
  describe(`the demo district's disclosure data [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    before(async () => {
      ts = await freshStore(backend);
      const result = await loadDemo(ts.ctx, 'Demo-pass-2026');
      assert.equal(result.loaded, true);
      assert.ok(
        result.summary.some((s) => s.startsWith('disclosure: 9 pilot areas')),
        result.summary.join('\n'),
      );
      app = await testApp(ts);
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('the 9 pilot areas and their 五公开 task lists are browsable through the API', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' });
      const areas = (res.json() as { items: AreaOut[] }).items;
      assert.deepEqual(
        areas.map((a) => a.name),
        [
          '征地补偿',
          '拆迁安置',
          '保障性住房',
          '农村危房改造',
          '扶贫救灾',
          '市政服务',
          '公共资源交易',
          '义务教育',
          '为民办实事项目',
        ],
      );
      for (const a of areas) {
        assert.ok(a.scope?.startsWith('主要针对'), `${a.name}: its scope as printed (方案 二)`);
        assert.ok(a.leadUnits.length > 0, `${a.name}: its lead units`);
      }
      assert.deepEqual(
        areas.find((a) => a.name === '扶贫救灾')?.leadUnits.map((u) => u.id),
        ['oh-nlyj', 'oh-mzj'],
      );
      const cqaz = areas.find((a) => a.name === '拆迁安置')!;
      assert.equal(cqaz.abbreviation, 'CQAZ');
      assert.deepEqual(
        cqaz.leadUnits.map((u) => u.id),
        ['oh-zsb'],
      );
      assert.deepEqual(
        cqaz.subAreas.map((s) => `${s.number} ${s.name}`),
        ['01 拆迁项目管理', '02 拆迁安置程序', '03 拆迁房源管理', '04 拆迁房屋分户评估管理', '05 补偿安置'],
      );
      let total = 0;
      for (const a of areas) {
        const items = (
          (await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${a.id}` })).json() as {
            items: ItemOut[];
          }
        ).items;
        assert.ok(items.length > 0, `${a.name} has a task list`);
        total += items.length;
      }
      assert.equal(total, 263, 'every row of 附件5');
      const decisions = (
        (
          await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${cqaz.id}&stage=decision` })
        ).json() as {
          items: ItemOut[];
        }
      ).items;
      assert.equal(decisions[0]?.matter1, '国有土地上的房屋拆迁安置');
      assert.equal(decisions[0]?.matter2, '制定年度项目工作计划、审查是否符合确需征收房屋的情形');
      assert.deepEqual(
        decisions[0]?.responsibleUnits.map((u) => u.id),
        ['oh-zsb'],
      );
      const zdbc = areas.find((a) => a.name === '征地补偿')!;
      const exec = (
        (
          await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${zdbc.id}&stage=execution` })
        ).json() as {
          items: ItemOut[];
        }
      ).items;
      const agreement = exec.find((i) => i.matter1 === '征地补偿安置协议书');
      assert.equal(
        agreement?.responsibleNote,
        '征地事务机构、各镇街、村委会',
        'unresolved units keep the printed text',
      );
    });

    test("the worked example's index numbers come out as the seed prints them", async () => {
      const staff = await signIn(app, ts, 'staff');
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/records?limit=500',
        headers: staff.headers,
      });
      const records = (res.json() as { items: RecordOut[] }).items;
      const byTitle = (title: string) => {
        const r = records.find((x) => x.title === title);
        assert.ok(r, `a record named ${title}`);
        return r;
      };
      // 附件7 5. 政府信息清单, as printed: stage 管理, duty 国有土地上房屋征收与补偿 (征收-00207-000); the number's tail,
      // the name, 公开属性 and 不公开依据; its 备注 gives the scheme (区域编码-领域缩写+子领域编号-阶段-职责-流水号-方式).
      for (const [source, tail, title, attribute, basis] of seedInformationList) {
        const r = byTitle(title);
        assert.ok(r.indexNumber.endsWith(tail), `${title}: …${tail} as printed, got ${r.indexNumber}`);
        assert.equal(r.indexNumber, `330304-CQAZ01-C-001-0${tail}`);
        assert.deepEqual(parseIndexNumber(r.indexNumber), {
          scheme: 'seed',
          region: '330304',
          abbreviation: 'CQAZ',
          subArea: '01',
          stage: 'management',
          duty: '001',
          serial: Number(tail.slice(0, 3)),
          attribute: r.attribute,
        });
        assert.equal(r.stageName, '管理');
        assert.equal(r.area?.name, '拆迁安置');
        assert.equal(r.subArea?.name, '拆迁项目管理');
        assert.equal(r.duty?.name, '国有土地上房屋征收与补偿');
        assert.equal(r.originName, source === '获取信息' ? '获取' : '制作');
        assert.equal(r.attributeName, attribute);
        if (basis) assert.ok(r.exemptionBasis?.includes(basis) || r.negativeListEntry, `${title}: ${basis}`);
      }
      // The seed's own example, 330304-CQAZ01-A-001-0001-Y (拆迁安置, sub-area 01, 决策, duty 001, first serial,
      // 依申请): the demo's first record of that scope is issued exactly that number by the platform.
      assert.equal(
        byTitle('瓯海区2024年度国有土地上房屋征收项目工作计划').indexNumber,
        '330304-CQAZ01-A-001-0001-Y',
      );
      const scope = {
        disclosingUnitId: 'oh-zsb',
        areaId: (
          await ts.store.db
            .selectFrom('areas')
            .select('id')
            .where('abbreviation', '=', 'CQAZ')
            .executeTakeFirstOrThrow()
        ).id,
        subAreaId: (
          await ts.store.db
            .selectFrom('sub_areas')
            .select('id')
            .where('name', '=', '拆迁项目管理')
            .executeTakeFirstOrThrow()
        ).id,
        dutyId: (
          await ts.store.db
            .selectFrom('disclosure_duties')
            .select('id')
            .where('number', '=', '001')
            .executeTakeFirstOrThrow()
        ).id,
        formedOn: '2017-09-01',
      };
      const preview = async (stage: string, attribute: string) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/index-numbers/preview',
          headers: staff.headers,
          payload: { ...scope, stage, attribute },
        });
        assert.equal(res.statusCode, 200, res.body);
        return (res.json() as { indexNumber: string }).indexNumber;
      };
      // The next of the 决策 scope is 0002; under 管理 the duty's sequence goes on after the printed …122.
      assert.equal(await preview('decision', 'onRequest'), '330304-CQAZ01-A-001-0002-Y');
      assert.equal(await preview('management', 'proactive'), '330304-CQAZ01-C-001-0123-G');
    });

    test('the rest of the worked example: sub-area table, duty list, and the area browsable with them', async () => {
      const areas = (
        (await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' })).json() as {
          items: AreaOut[];
        }
      ).items;
      const cqaz = areas.find((a) => a.name === '拆迁安置')!;
      const area = (await app.inject({ method: 'GET', url: `/api/v1/areas/${cqaz.id}` })).json() as {
        duties: {
          number: string;
          name: string;
          kind: string;
          powerType: string | null;
          code: string | null;
        }[];
        negativeList: { matter: string; basis: string }[];
      };
      assert.deepEqual(
        area.duties.map((d) => `${d.number} ${d.kind}`),
        [
          '001 power',
          '002 power',
          ...['003', '004', '005', '006', '007', '008', '009'].map((n) => `${n} responsibility`),
        ],
      );
      assert.deepEqual(
        [area.duties[0]?.name, area.duties[0]?.powerType, area.duties[0]?.code],
        ['国有土地上房屋征收与补偿', '行政征收', '征收-00207-000'],
      );
      assert.equal(area.duties[1]?.name, '订立房屋征收补偿协议');
      assert.ok(area.negativeList.length >= 2 && area.negativeList.every((e) => e.basis.length > 0));
    });

    test('catalogue items carry their standard (要素, 依据, 时限, 主体, 渠道, 对象, 方式, 层级, 阶段)', async () => {
      const areas = (
        (await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' })).json() as {
          items: AreaOut[];
        }
      ).items;
      const cqaz = areas.find((a) => a.name === '拆迁安置')!;
      const items = (
        (
          await app.inject({ method: 'GET', url: `/api/v1/disclosure-items?area=${cqaz.id}&stage=execution` })
        ).json() as { items: (ItemOut & Record<string, unknown>)[] }
      ).items;
      const decision = items.find(
        (i) => i.matter1 === '国有土地上的房屋拆迁安置' && i.matter2 === '作出房屋征收决定、公示补偿方案',
      );
      assert.ok(decision);
      assert.equal(decision.stageName, '执行');
      assert.match(String(decision.content), /行政复议、行政诉讼权利/);
      assert.equal(decision.legalBasis, '《国有土地上房屋征收与补偿条例》第十三条');
      assert.equal(decision.timeLimit, '作出房屋征收决定后及时公告');
      assert.equal((decision.disclosingUnit as { id: string }).id, 'oh-gov');
      assert.deepEqual(decision.channels, ['政府网站', '公示栏']);
      assert.deepEqual(
        [decision.audienceName, decision.methodName, decision.levelName],
        ['全社会', '主动', '县级'],
      );
      const survey = items.find((i) => i.matter2 === '分户公布初步评估结果' && i.matter1.startsWith('国有'));
      assert.ok(survey);
      assert.equal(survey.disclosingBodyText, '各实施单位');
      assert.equal(survey.audienceName, '特定群体');
      assert.equal(survey.timeLimit, '信息形成（或者变更）之日起20个工作日内', 'the usual limit by default');
    });

    test('附件6 innovation list, the 26 national areas to adopt, and the negative list with its bases', async () => {
      const staff = await signIn(app, ts, 'staff');
      const innovation = (
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/plan-items?list=innovation',
            headers: staff.headers,
          })
        ).json() as {
          items: {
            serial: number;
            content: string;
            leadUnitId: string;
            responsibleUnits: { id: string }[];
            responsiblePerson: string;
            deadlineText: string;
          }[];
        }
      ).items;
      assert.deepEqual(
        innovation.map((i) => i.serial),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      const gazette = innovation.find((i) => i.serial === 6)!;
      assert.deepEqual(
        [gazette.content, gazette.leadUnitId, gazette.responsiblePerson, gazette.deadlineText],
        ['编发《瓯海区人民政府公报》', 'oh-zfb', '卢旭峰', '按季度编发'],
      );
      assert.deepEqual(
        gazette.responsibleUnits.map((u) => u.id),
        ['oh-fzb'],
      );

      // The national list: 26 areas (rules.md §3); the five the district already runs as pilot areas are those.
      const national = (
        (await app.inject({ method: 'GET', url: '/api/v1/areas?source=national' })).json() as {
          items: (AreaOut & { adopted: boolean })[];
        }
      ).items;
      const pilot = (
        (await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' })).json() as {
          items: AreaOut[];
        }
      ).items.map((a) => a.name);
      const covered = new Set([...national.map((a) => a.name), ...pilot]);
      for (const name of nationalAreaNames) assert.ok(covered.has(name), `${name} is on the standard list`);
      assert.equal(national.length, 26 - nationalAreaNames.filter((n) => pilot.includes(n)).length);
      assert.ok(national.every((a) => !a.adopted));
      const fa = national.find((a) => a.name === '国有土地上房屋征收与补偿')!;
      assert.equal(fa.abbreviation, 'GYFWZSBC', 'initials longer than 10 letters: an explicit abbreviation');
      const admin = await signIn(app, ts, 'sysadmin');
      const adopt = await app.inject({
        method: 'POST',
        url: `/api/v1/areas/${fa.id}/adopt`,
        headers: admin.headers,
        payload: { adopted: true },
      });
      assert.equal(adopt.statusCode, 200, adopt.body);
      const adopted = (
        (await app.inject({ method: 'GET', url: '/api/v1/areas?adopted=1' })).json() as { items: AreaOut[] }
      ).items.map((a) => a.name);
      assert.ok(adopted.includes('国有土地上房屋征收与补偿'));
      // and stop using it again (the compliance view below covers the 9 pilot areas)
      const drop = await app.inject({
        method: 'POST',
        url: `/api/v1/areas/${fa.id}/adopt`,
        headers: admin.headers,
        payload: { adopted: false },
      });
      assert.equal(drop.statusCode, 200, drop.body);

      const negative = (
        (await app.inject({ method: 'GET', url: '/api/v1/negative-list' })).json() as {
          items: { areaId: string; matter: string; basis: string }[];
        }
      ).items;
      const pilotIds = new Map(
        (
          (await app.inject({ method: 'GET', url: '/api/v1/areas?source=pilot' })).json() as {
            items: AreaOut[];
          }
        ).items.map((a) => [a.id, a.name]),
      );
      const areasWithList = new Set(negative.map((e) => pilotIds.get(e.areaId)));
      for (const name of pilotIds.values()) assert.ok(areasWithList.has(name), `${name} has a negative list`);
      assert.ok(negative.every((e) => e.matter.trim() && e.basis.trim()));
    });

    test('the portal has notices in every state and the on-request catalogue shows metadata only', async () => {
      for (const state of ['upcoming', 'open', 'closed']) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/public/notices?state=${state}` });
        const items = (res.json() as { items: { notice: { state: string } }[] }).items;
        assert.ok(items.length > 0, `a ${state} notice`);
        assert.ok(items.every((n) => n.notice.state === state));
      }
      const levels = (
        (await app.inject({ method: 'GET', url: '/api/v1/public/notices?limit=200' })).json() as {
          items: { notice: { level: string } }[];
        }
      ).items.map((n) => n.notice.level);
      for (const l of ['village', 'town', 'district']) assert.ok(levels.includes(l), `a ${l} notice`);
      const onRequest = (
        await app.inject({ method: 'GET', url: '/api/v1/public/on-request?limit=200' })
      ).json() as {
        items: Record<string, unknown>[];
      };
      assert.ok(onRequest.items.length >= 5);
      for (const e of onRequest.items) {
        assert.ok(!('body' in e) && !('summary' in e) && !('attachments' in e));
      }
      const all = (await app.inject({ method: 'GET', url: '/api/v1/public/records?limit=200' })).body;
      assert.ok(
        !all.includes('评标委员会成员名单') && !all.includes('启动阶段材料审查报告'),
        'no exempt record',
      );
      assert.ok(!/\d{17}[\dX]/.test(all) && !/1[3-9]\d{9}/.test(all), 'no unmasked ID or mobile number');
    });

    test('the compliance view shows items without records, late records and counts by attribute', async () => {
      const staff = await signIn(app, ts, 'staff');
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/disclosure/compliance',
        headers: staff.headers,
      });
      const areas = (
        res.json() as {
          areas: {
            area: { name: string };
            totals: {
              items: number;
              itemsWithoutRecord: number;
              late: number;
              byAttribute: Record<string, number>;
            };
          }[];
        }
      ).areas;
      assert.equal(areas.length, 9);
      const ywjy = areas.find((a) => a.area.name === '义务教育')!;
      assert.ok(
        ywjy.totals.late >= 2,
        'the teacher recruitment notice is late, the indicators were published late',
      );
      const lateRecords = (
        res.json() as {
          areas: { stages: { lateRecords: { title: string; published: boolean; publishBy: string }[] }[] }[];
        }
      ).areas.flatMap((a) => a.stages.flatMap((s) => s.lateRecords));
      const indicators = lateRecords.find((r) => r.title === '瓯海区2023学年义务教育办学水平主要指标');
      assert.deepEqual([indicators?.published, indicators?.publishBy], [true, '2024-03-27']);
      assert.equal(
        lateRecords.find((r) => r.title === '瓯海区2025年公开招聘中小学教师公告')?.published,
        false,
      );
      // the view counts in the database what each record shows as `late` and by `attribute`
      const all = (
        (
          await app.inject({ method: 'GET', url: '/api/v1/records?limit=500', headers: staff.headers })
        ).json() as {
          items: { title: string; late: boolean; attribute: string; area: { name: string } }[];
        }
      ).items;
      assert.deepEqual(
        lateRecords.map((r) => r.title).sort(),
        all
          .filter((r) => r.late)
          .map((r) => r.title)
          .sort(),
      );
      for (const a of areas)
        for (const attribute of ['proactive', 'onRequest', 'exempt'])
          assert.equal(
            a.totals.byAttribute[attribute] ?? 0,
            all.filter((r) => r.area.name === a.area.name && r.attribute === attribute).length,
            `${a.area.name} ${attribute}`,
          );
      const cqaz = areas.find((a) => a.area.name === '拆迁安置')!;
      assert.ok((cqaz.totals.byAttribute.exempt ?? 0) >= 1 && (cqaz.totals.byAttribute.onRequest ?? 0) >= 4);
      assert.ok(cqaz.totals.itemsWithoutRecord < cqaz.totals.items);
    });
  });
}
