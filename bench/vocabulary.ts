// Chinese titles, document numbers and bodies for the generated district, built from the demo district's own
// vocabulary (areas, sub-areas, stages, units and task-list matters of demo/disclosure and demo/registry, read
// back from the database after the demo is loaded) in the register of published government texts.

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same district. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export interface UnitWords {
  name: string;
  /** 区住建局 → 住建: the core of the short name, for 文号 prefixes and phrasing. */
  core: string;
  /** 瓯 (瓯海) or 山 (山亭): the first character of the district, as 文号 print it. */
  district: string;
}

/** 温州市瓯海区住房和城乡建设局 / 区住建局 → 住建; 瓯海区人民政府 → 政. */
export function unitWords(name: string, shortName: string | null, regionName: string): UnitWords {
  const district = [...regionName.replace(/^.*?市/, '')][0] ?? '区';
  const short = (shortName ?? name)
    .replace(/^(温州市|枣庄市)?(瓯海区|山亭区|区)/, '')
    .replace(/(局|委|办|中心|人民政府|政府|街道|镇)$/, '');
  return { name, core: short.slice(0, 3) || '政', district };
}

const places = [
  '娄桥街道',
  '景山街道',
  '新桥街道',
  '潘桥街道',
  '郭溪街道',
  '瞿溪街道',
  '泽雅镇',
  '仙岩街道',
  '丽岙街道',
  '南白象街道',
  '茶山街道',
  '三垟街道',
  '北庄汇街道',
  '店子镇',
  '西集镇',
  '桑村镇',
  '城头镇',
  '徐庄镇',
  '水泉镇',
  '冯卯镇',
];
const projects = [
  '老旧小区改造',
  '棚户区改造',
  '农村危房改造',
  '城中村改造',
  '道路提升',
  '河道综合整治',
  '安置房建设',
  '美丽乡村建设',
  '污水管网改造',
  '公园绿地提升',
  '农贸市场改造',
  '学校扩建',
  '社区卫生服务中心建设',
  '停车场建设',
  '供水管网改造',
];
const verbs = ['印发', '公布', '做好', '进一步加强', '开展', '组织实施', '调整', '规范', '推进', '落实'];
const bases = [
  '《中华人民共和国政府信息公开条例》',
  '《国有土地上房屋征收与补偿条例》',
  '《浙江省政府信息公开暂行办法》',
  '《山东省政府信息公开办法》',
  '《中华人民共和国土地管理法》',
  '《社会救助暂行办法》',
  '《中华人民共和国预算法》',
  '《政府采购法实施条例》',
];

export interface TitleInput {
  area: string;
  subArea: string | null;
  stage: string;
  matter: string;
  unit: UnitWords;
  year: number;
  serial: number;
}

export interface Text {
  title: string;
  documentNumber: string | null;
  summary: string;
  body: string;
  kind: 'document' | 'policy' | 'plan' | 'notice' | 'result' | 'other';
}

/** One record's texts, varied by the random stream: notices (通知), 公示, 实施方案, 结果公告, 批复, 报告. */
export function recordText(r: () => number, t: TitleInput): Text {
  const place = pick(r, places);
  const project = pick(r, projects);
  const matter = t.matter.replace(/[。；，、\s]+$/u, '').slice(0, 30);
  const prefix = t.unit.core === '政' ? pick(r, ['政发', '政办发', '政函']) : `${t.unit.core}发`;
  const docNo = `${t.unit.district}${prefix}〔${t.year}〕${1 + (t.serial % 180)}号`;
  const form = Math.floor(r() * 8);
  let title: string;
  let kind: Text['kind'];
  switch (form) {
    case 0:
      title = `${t.unit.name}关于${pick(r, verbs)}${matter}工作的通知`;
      kind = 'document';
      break;
    case 1:
      title = `关于${place}${project}项目${matter}的公示`;
      kind = 'notice';
      break;
    case 2:
      title = `${t.year}年度${t.area}${matter}实施方案`;
      kind = 'plan';
      break;
    case 3:
      title = `关于${place}${project}${matter}结果的公告`;
      kind = 'result';
      break;
    case 4:
      title = `${t.unit.name}关于印发《${t.area}${t.subArea ?? ''}管理办法》的通知`;
      kind = 'policy';
      break;
    case 5:
      title = `关于${place}${project}项目的批复`;
      kind = 'document';
      break;
    case 6:
      title = `${t.unit.name}${t.year}年${t.area}工作情况报告`;
      kind = 'other';
      break;
    default:
      title = `关于${t.year}年${t.area}领域${t.stage}公开事项${matter}的说明`;
      kind = 'other';
  }
  const summary = `${t.unit.name}就${t.area}${t.subArea ? `（${t.subArea}）` : ''}${t.stage}环节${matter}事项予以公开，涉及${place}${project}。`;
  const paragraphs = [
    `为${pick(r, verbs)}${t.area}工作，根据${pick(r, bases)}等有关规定，结合我区实际，现将${matter}有关事项${form === 1 ? '公示' : '通知'}如下。`,
    `一、工作目标。${t.year}年底前完成${place}${project}任务，做到程序规范、信息公开、群众满意。`,
    `二、主要内容。${matter}由${t.unit.name}负责组织实施，${place}配合做好政策宣传和矛盾调处，相关材料按规定归档。`,
    form === 1
      ? `三、公示期限。自公示之日起7个工作日。公示期内如有异议，可向${t.unit.name}书面反映，联系电话0577-8${String(1000000 + ((t.serial * 7919) % 8999999)).slice(1)}。`
      : `三、工作要求。各有关单位要高度重视，明确责任分工，于${t.year}年${1 + (t.serial % 12)}月底前报送工作进展情况。`,
    `${t.unit.name}\n${t.year}年${1 + (t.serial % 12)}月${1 + (t.serial % 28)}日`,
  ];
  return {
    title,
    documentNumber: form === 0 || form === 4 || form === 5 ? docNo : null,
    summary,
    body: paragraphs.join('\n'),
    kind,
  };
}
