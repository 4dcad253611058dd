/**
 * Log redaction (等保 2.0 个人信息保护 / 剩余信息保护): secrets and personal data never reach the log, wherever a
 * log line carries a request, a body or an error. pino replaces these paths with "[Redacted]".
 */
const sensitiveKeys = [
  'password',
  'currentPassword',
  'newPassword',
  'totp',
  'recoveryCodes',
  'secret',
  'idNumber',
  'id_number',
  'phone',
  'mobile',
  'email',
  'address',
  'token',
  'csrfToken',
];

export const logRedactPaths: string[] = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  ...sensitiveKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];
