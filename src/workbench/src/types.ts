// The shapes of the API answers the workbench reads, as the platform's presenters write them
// (src/registry/presenters.ts, src/accounts/routes.ts).

export type Role = 'sysadmin' | 'secadmin' | 'auditor' | 'leader' | 'staff';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleName?: string;
}

export interface LoginAnswer {
  user: User;
  csrfToken: string;
  mustChangePassword: boolean;
}

export interface SessionAnswer {
  user: User;
  csrfToken?: string;
  mustChangePassword?: boolean;
}

export interface Ref {
  id: string;
  name: string;
}

export interface UnitRef extends Ref {
  kind: string;
}

export interface Responsibility {
  kind: string;
  text: string;
}

export interface WorkItem {
  id: string;
  positionId: string;
  number: string | null;
  title: string;
  functions: string[];
  responsibilities: Responsibility[];
  flowCodes: string[];
  lead: Ref | null;
  assistants: Ref[];
  note: string | null;
}

export interface Position {
  id: string;
  unitId: string;
  serial: number | null;
  category: string | null;
  name: string;
  number: number | null;
  kind: string;
  holders: (Ref & { title: string | null })[];
  supervises: UnitRef[];
  workItems: WorkItem[];
}

export interface Unit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  kind: string;
  regionCode: string | null;
  remit: string | null;
  positions: Position[];
  memberUnits: UnitRef[];
  workItemCount: number;
}

/** One printed 定岗定责定流程表 (src/registry/dutyTables.ts): its posts, by id, in 序号 order. */
export interface DutyTableOut {
  unitId: string;
  name: string;
  kind: string;
  /** 隶属关系 of a 所属单位 ("区住建局所属"), as the printed table states it. */
  affiliation: string | null;
  remit: string | null;
  positionIds: string[];
}

export interface UnitDetail extends Unit {
  descendants: Unit[];
  /** The unit's subtree as the printed tables: the 股室' posts in the unit's table, each 所属单位 its own. */
  dutyTables: DutyTableOut[];
}

export interface Person {
  id: string;
  name: string;
  unitId: string | null;
  title: string | null;
  positions: { id: string; name: string; unitId: string }[];
}

export interface Items<T> {
  items: T[];
}

export const unitKindNames: Record<string, string> = {
  government: '人民政府',
  office: '办公室',
  bureau: '部门',
  section: '股室',
  centre: '所属单位',
  township: '镇街',
  village: '村居',
  group: '工作小组',
};

export const positionKindNames: Record<string, string> = {
  head: '正职',
  deputy: '副职',
  business: '业务岗位',
  groupLeader: '组长',
  groupFirstDeputy: '第一副组长',
  groupDeputy: '副组长',
  groupMember: '成员',
  groupLiaison: '联络员',
};
