export interface PortalTables {
  notice_objections: {
    id: string;
    record_id: string;
    process_instance_id: string | null;
    unit_id: string | null;
    content: string;
    name_enc: string | null;
    contact_enc: string | null;
    /** 'received' until the publishing unit settles it. */
    state: string;
    created_at: string;
  };
  search_sync: { source: string; watermark: string };
}
