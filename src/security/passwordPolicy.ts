import { invalid } from '../errors.ts';
import { commonPasswords } from './commonPasswords.ts';

/**
 * The password rules (等保 2.0 身份鉴别 a: 身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换): at least 8 characters
 * from at least 3 of the 4 classes (upper case, lower case, digits, other), not the username (nor containing
 * it, nor it reversed), and not a common password. Returns the reasons, in Chinese, that it fails; empty: OK.
 */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  // an overlong input is refused before any other check, so no check's cost grows with hostile input
  if (password.length > 512) return ['密码不能超过 128 位'];
  const chars = [...password];
  if (chars.length < 8) problems.push('密码至少 8 位');
  if (chars.length > 128) problems.push('密码不能超过 128 位');
  let classes = 0;
  if (/[A-Z]/.test(password)) classes++;
  if (/[a-z]/.test(password)) classes++;
  if (/[0-9]/.test(password)) classes++;
  if (/[^A-Za-z0-9]/.test(password)) classes++;
  if (classes < 3) problems.push('密码须包含大写字母、小写字母、数字、其他符号中的至少三类');
  const lower = password.toLowerCase();
  const user = username?.trim().toLowerCase();
  if (user && user.length >= 2) {
    const reversed = [...user].reverse().join('');
    if (lower.includes(user) || lower.includes(reversed)) problems.push('密码不能包含用户名');
  }
  // "Password1!" is as weak as "password": strip trailing digits and punctuation before the list lookup
  let end = lower.length;
  while (end > 0 && !/[a-z]/.test(lower[end - 1]!)) end--;
  const stem = lower.slice(0, end);
  if (commonPasswords.has(lower) || (stem.length >= 4 && commonPasswords.has(stem))) {
    problems.push('密码过于常见，请换一个');
  }
  return problems;
}

/** Throws a validation error naming `field` when the password breaks the rules. */
export function assertPasswordAcceptable(
  password: string,
  username: string | undefined,
  field = 'password',
): void {
  const problems = passwordProblems(password, username);
  if (problems.length) {
    throw invalid(
      problems.map((reason) => ({ field, reason })),
      '密码不符合安全要求',
    );
  }
}
