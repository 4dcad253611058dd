export interface PortalTables {
  notice_objections: {
    id: string;
    record_id: string;
    process_instance_id: string | null;
    unit_id: string | null;
    content: string;
    name_enc: string | null;
    contact_enc: string | null;
    /** 'received' until the publishing unit settles it, then 'settled'. */
    state: string;
    created_at: string;
    /** The objection task it raised in the notice's case (null when the notice has no running case). */
    task_id: string | null;
    /** The unit's finding: 异议成立 / 异议不成立. */
    finding: string | null;
    settled_at: string | null;
    settled_by: string | null;
  };
  search_sync: { source: string; watermark: string };
}
