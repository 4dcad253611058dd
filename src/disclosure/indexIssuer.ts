import { AppError, type FieldError, invalid, notFound } from '../errors.ts';
import { nextCounterValue } from '../store/counters.ts';
import type { Db } from '../store/store.ts';
import {
  formatIndexNumber,
  type IndexParts,
  indexPartsProblems,
  nationalSerialMax,
  seedSerialMax,
  serialScope,
} from './indexNumber.ts';
import type { DisclosureAttribute, IndexSchemeName, Stage } from './tables.ts';

export interface IndexSubject {
  areaId: string;
  subAreaId?: string | null;
  stage: Stage;
  dutyId?: string | null;
  attribute: DisclosureAttribute;
  disclosingUnitId: string;
  formedOn: string;
}

/** Default when a region has set none: the seed's scheme (附件7 备注), which needs no organisation code. */
export const defaultScheme: IndexSchemeName = 'seed';

/**
 * The parts of the number a record would get, with serial 0 (not yet drawn). Sub-area 00 and duty 000 stand for
 * "none": the seed's scheme has fixed-width slots and a record need not belong to a sub-area or a duty.
 */
export async function indexPartsFor(db: Db, s: IndexSubject): Promise<IndexParts> {
  const unit = await db
    .selectFrom('units')
    .select(['id', 'region_code'])
    .where('id', '=', s.disclosingUnitId)
    .executeTakeFirst();
  if (!unit) throw notFound('公开主体', s.disclosingUnitId);
  const area = await db
    .selectFrom('areas')
    .select(['id', 'abbreviation', 'region_code'])
    .where('id', '=', s.areaId)
    .executeTakeFirst();
  if (!area) throw notFound('领域', s.areaId);
  const region = unit.region_code ?? area.region_code;
  const fields: FieldError[] = [];
  if (!region) fields.push({ field: 'disclosingUnitId', reason: '公开主体没有区划代码，无法编制索引号' });
  const setting = region
    ? await db
        .selectFrom('disclosure_index_schemes')
        .selectAll()
        .where('region_code', '=', region)
        .executeTakeFirst()
    : undefined;
  const scheme = setting?.scheme ?? defaultScheme;
  let parts: IndexParts;
  if (scheme === 'seed') {
    let subArea = '00';
    if (s.subAreaId) {
      const sub = await db
        .selectFrom('sub_areas')
        .select(['area_id', 'number'])
        .where('id', '=', s.subAreaId)
        .executeTakeFirst();
      if (sub?.area_id !== s.areaId) fields.push({ field: 'subAreaId', reason: '子领域不属于该领域' });
      else subArea = sub.number;
    }
    let duty = '000';
    if (s.dutyId) {
      const d = await db
        .selectFrom('disclosure_duties')
        .select(['area_id', 'number'])
        .where('id', '=', s.dutyId)
        .executeTakeFirst();
      if (d?.area_id !== s.areaId) fields.push({ field: 'dutyId', reason: '工作职责不属于该领域' });
      else duty = d.number;
    }
    parts = {
      scheme: 'seed',
      region: region ?? '000000',
      abbreviation: area.abbreviation,
      subArea,
      stage: s.stage,
      duty,
      serial: 0,
      attribute: s.attribute,
    };
  } else {
    const own = await db
      .selectFrom('disclosure_unit_codes')
      .select('org_code')
      .where('unit_id', '=', s.disclosingUnitId)
      .executeTakeFirst();
    const orgCode = own?.org_code ?? setting?.org_code ?? null;
    if (!orgCode)
      fields.push({
        field: 'disclosingUnitId',
        reason: '公开主体没有机构代码，本地区的索引号方案需要机构代码',
      });
    parts = { scheme: 'national', orgCode: orgCode ?? '', year: Number(s.formedOn.slice(0, 4)), serial: 0 };
  }
  if (fields.length) throw invalid(fields);
  return parts;
}

/**
 * Draw the next serial of the number's scope and format it. Must run inside the record's own transaction: the
 * counter row stays locked until that transaction ends, and a rollback gives the serial back, so serials
 * have neither gaps nor duplicates (src/store/counters.ts).
 */
export async function issueIndexNumber(
  db: Db,
  s: IndexSubject,
): Promise<{ number: string; scope: string; serial: number; scheme: IndexSchemeName }> {
  const parts = await indexPartsFor(db, s);
  const scope = serialScope(parts);
  const serial = await nextCounterValue(db, scope);
  const max = parts.scheme === 'seed' ? seedSerialMax : nationalSerialMax;
  if (serial > max)
    throw new AppError('index_serial_exhausted', `索引号流水号已用完（${scope} 最多 ${max} 个）`, 409);
  const full = { ...parts, serial };
  const problems = indexPartsProblems(full);
  if (problems.length) throw invalid(problems.map((reason) => ({ field: 'indexNumber', reason })));
  return { number: formatIndexNumber(full), scope, serial, scheme: parts.scheme };
}

/**
 * The number a record would get if it were created now. A preview, not a reservation: another record created
 * in between takes that serial first.
 */
export async function previewIndexNumber(
  db: Db,
  s: IndexSubject,
): Promise<{ number: string; scope: string }> {
  const parts = await indexPartsFor(db, s);
  const scope = serialScope(parts);
  const row = await db.selectFrom('counters').select('value').where('scope', '=', scope).executeTakeFirst();
  const serial = Number(row?.value ?? 0) + 1;
  const max = parts.scheme === 'seed' ? seedSerialMax : nationalSerialMax;
  if (serial > max)
    throw new AppError('index_serial_exhausted', `索引号流水号已用完（${scope} 最多 ${max} 个）`, 409);
  return { number: formatIndexNumber({ ...parts, serial }), scope };
}
