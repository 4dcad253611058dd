import { pinyin } from 'pinyin-pro';
import {
  attributeLetters,
  type DisclosureAttribute,
  type IndexSchemeName,
  type Stage,
  stageLetters,
} from './tables.ts';

// 信息索引号 (rules.md §4). Pure functions only: parse, format, validate, and the counter scope that a number's
// serial is drawn from. Issuing (the serial itself) happens in recordCreator inside the record's transaction.

/**
 * The seed's scheme (附件7 备注): 区域编码-领域缩写+子领域编号-五公开阶段-工作职责编号-信息流水号-公开方式,
 * e.g. 330304-CQAZ01-A-001-0001-Y.
 */
export interface SeedIndexParts {
  scheme: 'seed';
  region: string;
  abbreviation: string;
  subArea: string;
  stage: Stage;
  duty: string;
  serial: number;
  attribute: DisclosureAttribute;
}

/** The national directory practice: 机构代码/YYYY-NNNNN, e.g. 113708280043326001/2024-02411. */
export interface NationalIndexParts {
  scheme: 'national';
  orgCode: string;
  year: number;
  serial: number;
}

export type IndexParts = SeedIndexParts | NationalIndexParts;

export const seedSerialMax = 9999;
export const nationalSerialMax = 99999;

const stageByLetter = new Map(Object.entries(stageLetters).map(([s, l]) => [l, s as Stage]));
const attributeByLetter = new Map(
  Object.entries(attributeLetters).map(([a, l]) => [l, a as DisclosureAttribute]),
);

export const abbreviationPattern = /^[A-Z]{2,10}$/;
const seedPattern = /^(\d{6})-([A-Z]{2,10})(\d{2})-([A-E])-(\d{3})-(\d{4})-([GYB])$/;
/** 9-character organisation code or 18-character unified social credit code (GB 32100), upper case. */
export const orgCodePattern = /^(?:[0-9A-Z]{9}|[0-9A-Z]{18})$/;
const nationalPattern = /^([0-9A-Z]{9}|[0-9A-Z]{18})\/(\d{4})-(\d{5})$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Why a set of parts cannot form a number, in Chinese; empty when it can. */
export function indexPartsProblems(parts: IndexParts): string[] {
  const problems: string[] = [];
  const serialMax = parts.scheme === 'seed' ? seedSerialMax : nationalSerialMax;
  if (!Number.isInteger(parts.serial) || parts.serial < 1 || parts.serial > serialMax)
    problems.push(`信息流水号应为 1–${serialMax}`);
  if (parts.scheme === 'seed') {
    if (!/^\d{6}$/.test(parts.region)) problems.push('区域编码应为 6 位数字（GB/T 2260）');
    if (!abbreviationPattern.test(parts.abbreviation)) problems.push('领域缩写应为 2–10 个大写字母');
    if (!/^\d{2}$/.test(parts.subArea)) problems.push('子领域编号应为 2 位数字');
    if (!(parts.stage in stageLetters)) problems.push('五公开阶段不正确');
    if (!/^\d{3}$/.test(parts.duty)) problems.push('工作职责编号应为 3 位数字');
    if (!(parts.attribute in attributeLetters)) problems.push('公开属性不正确');
  } else {
    if (!orgCodePattern.test(parts.orgCode))
      problems.push('机构代码应为 9 位组织机构代码或 18 位统一社会信用代码');
    if (!Number.isInteger(parts.year) || parts.year < 1000 || parts.year > 9999)
      problems.push('年份应为 4 位');
  }
  return problems;
}

/** The printed number. Throws on parts that cannot form one (see indexPartsProblems). */
export function formatIndexNumber(parts: IndexParts): string {
  const problems = indexPartsProblems(parts);
  if (problems.length) throw new RangeError(problems.join('；'));
  if (parts.scheme === 'seed') {
    return [
      parts.region,
      `${parts.abbreviation}${parts.subArea}`,
      stageLetters[parts.stage],
      parts.duty,
      pad(parts.serial, 4),
      attributeLetters[parts.attribute],
    ].join('-');
  }
  return `${parts.orgCode}/${pad(parts.year, 4)}-${pad(parts.serial, 5)}`;
}

/** Parse a number in either built-in scheme; null when it is neither. Serial 0000 / 00000 is malformed. */
export function parseIndexNumber(text: string): IndexParts | null {
  const s = seedPattern.exec(text);
  if (s) {
    const stage = stageByLetter.get(s[4]!);
    const attribute = attributeByLetter.get(s[7]!);
    const serial = Number(s[6]);
    if (!stage || !attribute || serial < 1) return null;
    return {
      scheme: 'seed',
      region: s[1]!,
      abbreviation: s[2]!,
      subArea: s[3]!,
      stage,
      duty: s[5]!,
      serial,
      attribute,
    };
  }
  const n = nationalPattern.exec(text);
  if (n) {
    const serial = Number(n[3]);
    const year = Number(n[2]);
    if (serial < 1 || year < 1000) return null;
    return { scheme: 'national', orgCode: n[1]!, year, serial };
  }
  return null;
}

/** Whether the text is a well-formed number of the given scheme. */
export function isValidIndexNumber(text: string, scheme?: IndexSchemeName): boolean {
  const parts = parseIndexNumber(text);
  return parts !== null && (scheme === undefined || parts.scheme === scheme);
}

/**
 * The counter a serial is drawn from: everything in the number except the serial and (seed scheme) the
 * attribute letter, because the seed's worked example numbers one duty's records in one sequence whatever
 * their attribute (…100-Y, …120-B, …121-G under the same duty).
 */
export function serialScope(parts: IndexParts): string {
  if (parts.scheme === 'seed')
    return `idx:seed:${parts.region}-${parts.abbreviation}${parts.subArea}-${stageLetters[parts.stage]}-${parts.duty}`;
  return `idx:national:${parts.orgCode}/${pad(parts.year, 4)}`;
}

/**
 * An area's default abbreviation: the upper-case pinyin initials of the Han characters of its name
 * (拆迁安置 → CQAZ, rules.md §4). pinyin-pro reads polyphones in context; other characters are dropped.
 */
export function abbreviationFromName(name: string): string {
  const han = [...name].filter((ch) => /\p{Script=Han}/u.test(ch)).join('');
  if (!han) return '';
  const initials = pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' });
  return initials
    .join('')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}
