import { pinyin } from 'pinyin-pro';

/** The pinyin of a Chinese name as a username: 孙鸿鹄 → sunhonghu (surnames read as surnames: 单 → shan). */
export function usernameFromName(name: string): string {
  const syllables = pinyin(name.replace(/\s+/g, ''), {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    v: true,
  });
  const base = syllables
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return /^[a-z]/.test(base) ? base : `u${base}`;
}

/** The first of `base`, `base2`, `base3` … not in `taken`; adds the result to `taken`. */
export function disambiguate(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  taken.add(candidate);
  return candidate;
}
