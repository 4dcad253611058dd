import type { Selectable } from 'kysely';

/**
 * The five stages of 五公开, in their fixed order. The index-number letter is the stage's place in this order:
 * 决策 A, 执行 B, 管理 C, 服务 D, 结果 E (rules.md §4: the seed does not spell the letters out, so they follow the
 * order of the stages).
 */
export const stages = ['decision', 'execution', 'management', 'service', 'result'] as const;
export type Stage = (typeof stages)[number];
export const stageNames: Record<Stage, string> = {
  decision: '决策',
  execution: '执行',
  management: '管理',
  service: '服务',
  result: '结果',
};
export const stageLetters: Record<Stage, string> = {
  decision: 'A',
  execution: 'B',
  management: 'C',
  service: 'D',
  result: 'E',
};

/** 公开属性: 主动公开 G, 依申请公开 Y, 不予公开 B (seed 附件7 备注). */
export const attributes = ['proactive', 'onRequest', 'exempt'] as const;
export type DisclosureAttribute = (typeof attributes)[number];
export const attributeNames: Record<DisclosureAttribute, string> = {
  proactive: '主动公开',
  onRequest: '依申请公开',
  exempt: '不予公开',
};
export const attributeLetters: Record<DisclosureAttribute, string> = {
  proactive: 'G',
  onRequest: 'Y',
  exempt: 'B',
};

/** 公开对象 (rules.md §3): 全社会 / 特定群体. */
export const audiences = ['public', 'specific'] as const;
export type Audience = (typeof audiences)[number];
export const audienceNames: Record<Audience, string> = { public: '全社会', specific: '特定群体' };

/** 公开方式 of a catalogue item: 主动 / 依申请. */
export const methods = ['proactive', 'onRequest'] as const;
export type Method = (typeof methods)[number];
export const methodNames: Record<Method, string> = { proactive: '主动', onRequest: '依申请' };

/** 公开层级: 县级 / 乡级. */
export const levels = ['county', 'township'] as const;
export type Level = (typeof levels)[number];
export const levelNames: Record<Level, string> = { county: '县级', township: '乡级' };

/** 信息来源: 获取 (acquired from others) or 制作 (produced by the body itself), seed 附件7 政府信息清单. */
export const origins = ['acquired', 'produced'] as const;
export type Origin = (typeof origins)[number];
export const originNames: Record<Origin, string> = { acquired: '获取', produced: '制作' };

/** Kinds of record the portal renders differently; `notice` carries a 公示期. */
export const recordKinds = ['document', 'policy', 'plan', 'notice', 'result', 'other'] as const;
export type RecordKind = (typeof recordKinds)[number];

/** Where a public notice was posted (flow 12-2: 村级公示, 乡镇审核公示, 区级审批公示). */
export const noticeLevels = ['village', 'town', 'district'] as const;
export type NoticeLevel = (typeof noticeLevels)[number];

/**
 * Publishing states. A proactive record goes draft → inReview (审核) → inSecrecyCheck (保密审查) → approved →
 * published (→ withdrawn); a reviewer may return it to draft. onRequest records go the same way and, once
 * published, appear in the on-request catalogue by title and metadata only; exempt records never leave draft.
 */
export const publishStates = [
  'draft',
  'inReview',
  'inSecrecyCheck',
  'approved',
  'published',
  'withdrawn',
] as const;
export type PublishState = (typeof publishStates)[number];

/** Index-number schemes (rules.md §4), a per-region setting. */
export const indexSchemes = ['seed', 'national'] as const;
export type IndexSchemeName = (typeof indexSchemes)[number];

export const areaSources = ['pilot', 'national', 'local'] as const;
export type AreaSource = (typeof areaSources)[number];

export const dutyKinds = ['power', 'responsibility', 'service'] as const;
export type DutyKind = (typeof dutyKinds)[number];

export const planLists = ['task', 'innovation'] as const;
export type PlanList = (typeof planLists)[number];

export interface DisclosureTables {
  disclosure_index_schemes: {
    region_code: string;
    scheme: IndexSchemeName;
    /** 机构代码 used by the national scheme when the disclosing unit has none of its own. */
    org_code: string | null;
    updated_at: string;
  };
  disclosure_unit_codes: { unit_id: string; org_code: string };
  areas: {
    id: string;
    name: string;
    abbreviation: string;
    region_code: string | null;
    scope: string | null;
    source: AreaSource;
    adopted: number;
    sort_order: number;
    created_at: string;
    updated_at: string;
  };
  area_lead_units: { area_id: string; sort_order: number; unit_id: string };
  sub_areas: {
    id: string;
    area_id: string;
    number: string;
    name: string;
    note: string | null;
    sort_order: number;
  };
  disclosure_duties: {
    id: string;
    area_id: string;
    number: string;
    name: string;
    kind: DutyKind;
    power_type: string | null;
    code: string | null;
    unit_id: string | null;
    sort_order: number;
  };
  disclosure_items: {
    id: string;
    area_id: string;
    sub_area_id: string | null;
    stage: Stage;
    serial: number;
    matter1: string;
    matter2: string | null;
    content: string | null;
    legal_basis: string | null;
    time_limit: string | null;
    disclosing_unit_id: string | null;
    disclosing_body_text: string | null;
    audience: Audience;
    method: Method;
    level: Level;
    duty_id: string | null;
    /** Responsible units as the source printed them when some do not resolve to a registry unit. */
    responsible_note: string | null;
    created_at: string;
    updated_at: string;
  };
  disclosure_item_units: { item_id: string; sort_order: number; unit_id: string };
  disclosure_item_channels: { item_id: string; sort_order: number; channel: string };
  negative_list_entries: {
    id: string;
    area_id: string;
    matter: string;
    basis: string;
    sort_order: number;
    created_at: string;
  };
  records: {
    id: string;
    title: string;
    summary: string | null;
    origin: Origin;
    kind: RecordKind;
    formed_on: string;
    document_number: string | null;
    attribute: DisclosureAttribute;
    exemption_basis: string | null;
    negative_list_entry_id: string | null;
    disclosing_unit_id: string;
    area_id: string;
    sub_area_id: string | null;
    stage: Stage;
    duty_id: string | null;
    item_id: string | null;
    valid_from: string | null;
    valid_until: string | null;
    body: string | null;
    notice_level: NoticeLevel | null;
    notice_starts_on: string | null;
    notice_ends_on: string | null;
    index_number: string;
    index_scheme: IndexSchemeName;
    index_scope: string;
    index_serial: number;
    publish_state: PublishState;
    publish_by: string | null;
    published_at: string | null;
    source_process_instance_id: string | null;
    source_step: string | null;
    created_by: string | null;
    created_at: string;
    updated_at: string;
  };
  record_channels: { record_id: string; sort_order: number; channel: string };
  record_attachments: {
    id: string;
    record_id: string;
    file_name: string;
    media_type: string;
    size: number;
    sha256: string;
    storage_path: string;
    /** Extracted text (plain-text files) scanned for personal data before publication. */
    text_content: string | null;
    created_at: string;
  };
  /** Append-only: every change of a record, review decision and publication, in order. */
  record_history: {
    id: string;
    record_id: string;
    seq: number;
    at: string;
    actor_user_id: string | null;
    actor_name: string | null;
    action: string;
    from_state: PublishState | null;
    to_state: PublishState | null;
    note: string | null;
  };
  plan_items: {
    id: string;
    list: PlanList;
    serial: number;
    content: string;
    lead_unit_id: string | null;
    lead_unit_text: string | null;
    responsible_person: string | null;
    deadline_text: string | null;
    due_on: string | null;
    progress: string | null;
    done: number;
    created_at: string;
    updated_at: string;
  };
  plan_item_units: { plan_item_id: string; sort_order: number; unit_id: string };
}

export type AreaRow = Selectable<DisclosureTables['areas']>;
export type SubAreaRow = Selectable<DisclosureTables['sub_areas']>;
export type DutyRow = Selectable<DisclosureTables['disclosure_duties']>;
export type ItemRow = Selectable<DisclosureTables['disclosure_items']>;
export type RecordRow = Selectable<DisclosureTables['records']>;
export type AttachmentRow = Selectable<DisclosureTables['record_attachments']>;
export type HistoryRow = Selectable<DisclosureTables['record_history']>;
export type NegativeEntryRow = Selectable<DisclosureTables['negative_list_entries']>;
export type PlanItemRow = Selectable<DisclosureTables['plan_items']>;
