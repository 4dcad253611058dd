import type { Selectable } from 'kysely';

/** Unit kinds of the tree: 局, 股室, 所属中心, 镇街, 村居, plus the government, its office and working groups. */
export const unitKinds = [
  'government',
  'office',
  'bureau',
  'section',
  'centre',
  'township',
  'village',
  'group',
] as const;
export type UnitKind = (typeof unitKinds)[number];

/** 正职 / 副职 / 业务岗位, and the roles inside a working group (组长 … 联络员). */
export const positionKinds = [
  'head',
  'deputy',
  'business',
  'groupLeader',
  'groupFirstDeputy',
  'groupDeputy',
  'groupMember',
  'groupLiaison',
] as const;
export type PositionKind = (typeof positionKinds)[number];

export interface RegistryTables {
  units: {
    id: string;
    parent_id: string | null;
    name: string;
    short_name: string | null;
    kind: UnitKind;
    region_code: string | null;
    remit: string | null;
    sort_order: number;
    created_at: string;
    updated_at: string;
  };
  people: {
    id: string;
    name: string;
    unit_id: string | null;
    title: string | null;
    created_at: string;
    updated_at: string;
  };
  positions: {
    id: string;
    unit_id: string;
    serial: number | null;
    category: string | null;
    name: string;
    number: number | null;
    kind: PositionKind;
    sort_order: number;
    created_at: string;
    updated_at: string;
  };
  appointments: {
    id: string;
    person_id: string;
    position_id: string;
    starts_on: string;
    ends_on: string | null;
    created_at: string;
  };
  supervisions: { id: string; person_id: string; unit_id: string; starts_on: string; ends_on: string | null };
  unit_memberships: { group_id: string; member_unit_id: string; sort_order: number };
  work_items: {
    id: string;
    position_id: string;
    number: string | null;
    title: string;
    lead_person_id: string | null;
    note: string | null;
    sort_order: number;
    created_at: string;
    updated_at: string;
  };
  work_item_functions: { work_item_id: string; sort_order: number; text: string };
  work_item_responsibilities: { work_item_id: string; sort_order: number; kind: string; text: string };
  work_item_flow_codes: { work_item_id: string; sort_order: number; flow_code: string };
  work_item_assistants: { work_item_id: string; sort_order: number; person_id: string };
  flow_code_aliases: { code: string; chart_code: string };
}

export type UnitRow = Selectable<RegistryTables['units']>;
export type PersonRow = Selectable<RegistryTables['people']>;
export type PositionRow = Selectable<RegistryTables['positions']>;
export type WorkItemRow = Selectable<RegistryTables['work_items']>;
