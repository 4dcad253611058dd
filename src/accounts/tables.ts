/**
 * Roles. The three administrator roles of 等保 2.0 (system, security, auditor) are kept apart: an account holds
 * exactly one role, so no account can be two of them.
 */
export const roles = ['sysadmin', 'secadmin', 'auditor', 'leader', 'staff'] as const;
export type Role = (typeof roles)[number];

export const roleNames: Record<Role, string> = {
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '审计管理员',
  leader: '领导',
  staff: '工作人员',
};

export interface AccountTables {
  users: {
    id: string;
    username: string;
    display_name: string;
    person_id: string | null;
    role: Role;
    password_hash: string;
    must_change_password: number;
    failed_logins: number;
    locked_until: string | null;
    disabled: number;
    password_changed_at: string | null;
    created_at: string;
    updated_at: string;
    /** The TOTP secret, SM4-encrypted (src/security/crypto.ts); set at enrolment, used once enabled. */
    totp_secret: string | null;
    totp_enabled: number;
    /** The last accepted TOTP step: a code is accepted once only. */
    totp_last_step: number | null;
  };
  sessions: {
    id_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    last_seen_at: string;
    ip: string | null;
  };
}
