import type { FastifyInstance } from 'fastify';

/**
 * RFC 9116 security.txt: where a finder reports a vulnerability of this installation (等保 2.0 requires the
 * operator to receive and handle such reports; SECURITY.md says how the project handles them). The address is
 * the operator's own (GONGKAI_SECURITY_CONTACT); without one nothing is published rather than a placeholder.
 */
export function registerSecurityTxt(
  app: FastifyInstance,
  { contact, now }: { contact: string | null; now: () => Date },
): void {
  app.get('/.well-known/security.txt', async (_req, reply) => {
    if (!contact) return reply.code(404).type('text/plain; charset=utf-8').send('未配置安全联系方式\n');
    // Expires is required and must not lie far ahead (RFC 9116 §2.5.5): a year from today, recomputed on each
    // answer, so a running installation never publishes a stale file.
    const expires = new Date(now().getTime() + 365 * 86_400_000);
    expires.setUTCHours(0, 0, 0, 0);
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(
        `Contact: ${contact}\nExpires: ${expires.toISOString().replace('.000Z', 'Z')}\nPreferred-Languages: zh, en\n`,
      );
  });
}

/** GONGKAI_SECURITY_CONTACT: an e-mail address (made a mailto: URI) or a mailto:, https: or tel: URI. */
export function parseSecurityContact(value: string | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^[^\s@:/]+@[^\s@/]+\.[^\s@/]+$/.test(v)) return `mailto:${v}`;
  if (/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+|tel:\+?[0-9-]+)$/.test(v)) return v;
  throw new Error(
    `GONGKAI_SECURITY_CONTACT must be an e-mail address or a mailto:, https: or tel: URI, got ${value}`,
  );
}
