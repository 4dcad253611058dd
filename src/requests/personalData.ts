import { maskIdNumber, maskPhone } from '../security/masks.ts';
import { decryptPersonal, encryptPersonal } from '../security/personalData.ts';
import type { Db } from '../store/store.ts';

/**
 * The only module that reads or writes the applicant's ID number and phone number (个人信息保护法 Art. 51:
 * personal information is protected by technical measures such as encryption). `seal` and `open` are where the
 * SM4 encryption of src/security wraps the values: the rest of src/requests never sees these columns.
 */
const seal = (value: string | null): string | null => encryptPersonal(value);
const open = (stored: string | null): string | null => decryptPersonal(stored);

export interface PersonalData {
  idNumber: string | null;
  phone: string | null;
}

/** The two columns as stored, for an insert. */
export function personalColumns(p: PersonalData): {
  applicant_id_number: string | null;
  applicant_phone: string | null;
} {
  return {
    applicant_id_number: seal(p.idNumber?.trim() || null),
    applicant_phone: seal(p.phone?.trim() || null),
  };
}

export async function readPersonalData(db: Db, requestIds: string[]): Promise<Map<string, PersonalData>> {
  const out = new Map<string, PersonalData>();
  if (!requestIds.length) return out;
  const rows = await db
    .selectFrom('info_requests')
    .select(['id', 'applicant_id_number', 'applicant_phone'])
    .where('id', 'in', requestIds)
    .execute();
  for (const r of rows)
    out.set(r.id, { idNumber: open(r.applicant_id_number), phone: open(r.applicant_phone) });
  return out;
}

// One masking rule everywhere (rules.md §7: 35*************123, 138****1234): src/security/masks.ts.
export { maskIdNumber, maskPhone };

export const maskPersonal = (p: PersonalData): PersonalData => ({
  idNumber: maskIdNumber(p.idNumber),
  phone: maskPhone(p.phone),
});
