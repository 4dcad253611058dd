// The one masking rule of the platform (rules.md §7; 个人信息保护法 Art. 25, 51, 55): every page, letter, API answer
// and publication check masks personal data the same way, so that a value masked in one place is never shown
// with more characters in another. src/security/personalData.ts, src/requests/personalData.ts,
// src/requests/letters.ts and src/disclosure/privacy.ts use (and re-export) these functions.
//
// - ID number (身份证号): the first 2 and last 3 characters stay, rules.md's example `35*************123`.
// - mobile (手机号): `138****1234`; other phone numbers keep at most their last 4 digits.
// - bank card (银行卡号): the first 4 and last 4 digits stay; separators stay where they were.
// - name (姓名): the first character stays (张三 → 张*).
// Masks keep the value's length (in characters), so layouts and tables do not shift.

const stars = (n: number) => '*'.repeat(Math.max(0, n));

function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return stars(chars.length);
  return chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** 身份证号: 350102199001011123 → 35*************123 (rules.md §7). */
export function maskIdNumber(value: string): string;
export function maskIdNumber(value: string | null | undefined): string | null;
export function maskIdNumber(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return keepEnds(value, 2, 3);
}

/** 手机号: 13812341234 → 138****1234 (rules.md §7). */
export function maskMobile(value: string): string;
export function maskMobile(value: string | null | undefined): string | null;
export function maskMobile(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return keepEnds(value, 3, 4);
}

/** Any phone number: an 11-character (mobile) number as 138****1234, others keep at most their last 4 characters. */
export function maskPhone(value: string): string;
export function maskPhone(value: string | null | undefined): string | null;
export function maskPhone(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const chars = [...value];
  if (chars.length === 11) return maskMobile(value);
  if (chars.length <= 4) return stars(chars.length);
  return stars(chars.length - 4) + chars.slice(-4).join('');
}

/** 银行卡号: the first 4 and last 4 digits stay; spaces and hyphens stay where they were. */
export function maskBankCard(value: string): string;
export function maskBankCard(value: string | null | undefined): string | null;
export function maskBankCard(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digitCount = value.replace(/\D/g, '').length;
  let seen = 0;
  return [...value]
    .map((ch) => {
      if (!/\d/.test(ch)) return ch;
      seen++;
      return seen <= 4 || seen > digitCount - 4 ? ch : '*';
    })
    .join('');
}

/** 姓名: the first character stays (张三 → 张*, 欧阳娜娜 → 欧***). */
export function maskName(value: string): string;
export function maskName(value: string | null | undefined): string | null;
export function maskName(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const chars = [...value];
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}

// ---- finding personal data in free text (the disclosure privacy scan, issue 4 item 8) ----

export type FindingKind = 'idNumber' | 'mobile' | 'bankCard';

export const findingNames: Record<FindingKind, string> = {
  idNumber: '身份证号码',
  mobile: '手机号码',
  bankCard: '银行卡号',
};

export interface PrivacyFinding {
  kind: FindingKind;
  /** Offset and length of the match in the scanned text. */
  index: number;
  length: number;
  /** The value already masked, so that a report of the finding does not itself leak it. */
  masked: string;
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckChars = '10X98765432';

/** GB 11643-1999: the 18th character is the check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * idWeights[i]!;
  return idCheckChars[sum % 11]!;
}

export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(id)) return false;
  return idCheckCharacter(id.slice(0, 17)) === id[17]!.toUpperCase();
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const idRe = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const mobileRe = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
// 16–19 digits, together or in groups of four separated by a space or hyphen (as cards are printed).
const cardRe = /(?<![\d*])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d*])/g;

export interface ScanOptions {
  /**
   * Count an 18-character ID-number shape as an ID number even when its check digit is wrong. The publication
   * check (issue 4 item 8) needs the checksum so that other 18-digit numbers do not block publishing; text
   * shown to the public from a handler's typing (reply letters) masks a mistyped ID number too.
   */
  anyIdShape?: boolean;
}

/** Every ID number (valid check digit), mobile number and Luhn-valid card number in the text, in order. */
export function scanText(text: string, options: ScanOptions = {}): PrivacyFinding[] {
  const findings: PrivacyFinding[] = [];
  const taken: [number, number][] = [];
  const overlaps = (i: number, len: number) => taken.some(([a, b]) => i < b && a < i + len);
  for (const m of text.matchAll(idRe)) {
    if (!options.anyIdShape && !isValidIdNumber(m[0])) continue;
    findings.push({ kind: 'idNumber', index: m.index, length: m[0].length, masked: maskIdNumber(m[0]) });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(cardRe)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 16 || digits.length > 19 || !luhnValid(digits) || overlaps(m.index, m[0].length))
      continue;
    findings.push({ kind: 'bankCard', index: m.index, length: m[0].length, masked: maskBankCard(m[0]) });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(mobileRe)) {
    if (overlaps(m.index, m[0].length)) continue;
    findings.push({ kind: 'mobile', index: m.index, length: m[0].length, masked: maskMobile(m[0]) });
    taken.push([m.index, m.index + m[0].length]);
  }
  return findings.sort((a, b) => a.index - b.index);
}

/** The text with every finding replaced by its mask; text without findings comes back unchanged. */
export function maskText(text: string, options: ScanOptions = {}): string {
  let out = '';
  let at = 0;
  for (const f of scanText(text, options)) {
    out += text.slice(at, f.index) + f.masked;
    at = f.index + f.length;
  }
  return out + text.slice(at);
}
