import type { Db } from '../store/store.ts';
import { similarity } from './fingerprint.ts';
import { loadSettings } from './settings.ts';

export interface RepeatGroup {
  fingerprint: string;
  description: string;
  unitId: string;
  applicants: number;
  requests: { trackingNumber: string; receivedOn: string; applicantName: string; state: string }[];
  /** Art. 44: asked for by at least the configured number of different applicants. */
  proactiveCandidate: boolean;
  /** Already moved into proactive disclosure. */
  movedOn: string | null;
}

/**
 * Groups of requests for the same information (same document number, or near-identical wording), with how many
 * different applicants asked: the Art. 44 candidates for proactive disclosure, and one applicant's repeats
 * (Art. 36 (六): "重复申请" is answered by not processing again).
 */
export async function repeatedRequests(
  db: Db,
  year: number | null,
): Promise<{
  groups: RepeatGroup[];
  sameApplicantRepeats: { applicantName: string; trackingNumbers: string[] }[];
}> {
  const settings = await loadSettings(db);
  let q = db
    .selectFrom('info_requests')
    .select([
      'id',
      'tracking_number',
      'received_on',
      'applicant_name',
      'applicant_kind',
      'organisation_code',
      'fingerprint',
      'description',
      'unit_id',
      'state',
    ]);
  if (year) q = q.where('received_on', '>=', `${year}-01-01`).where('received_on', '<=', `${year}-12-31`);
  const rows = await q.orderBy('received_on').execute();
  const moved = await db.selectFrom('info_request_proactive').select(['fingerprint', 'created_at']).execute();

  // cluster: a request joins the first group whose fingerprint is the same, or (free text) 80 % similar
  const clusters: { key: string; members: typeof rows }[] = [];
  for (const r of rows) {
    const c = clusters.find(
      (g) =>
        g.key === r.fingerprint ||
        (g.key.startsWith('text:') &&
          r.fingerprint.startsWith('text:') &&
          similarity(g.key, r.fingerprint) >= 0.8),
    );
    if (c) c.members.push(r);
    else clusters.push({ key: r.fingerprint, members: [r] });
  }
  const applicantKey = (r: (typeof rows)[number]) =>
    `${r.applicant_kind}:${r.organisation_code ?? ''}:${r.applicant_name.replace(/\s+/g, '')}`;
  const groups: RepeatGroup[] = [];
  const sameApplicantRepeats: { applicantName: string; trackingNumbers: string[] }[] = [];
  for (const c of clusters) {
    if (c.members.length < 2) continue;
    const byApplicant = new Map<string, typeof rows>();
    for (const m of c.members)
      byApplicant.set(applicantKey(m), [...(byApplicant.get(applicantKey(m)) ?? []), m]);
    for (const list of byApplicant.values())
      if (list.length > 1)
        sameApplicantRepeats.push({
          applicantName: list[0]?.applicant_name ?? '',
          trackingNumbers: list.map((m) => m.tracking_number),
        });
    const first = c.members[0];
    if (!first) continue;
    groups.push({
      fingerprint: c.key,
      description: first.description,
      unitId: first.unit_id,
      applicants: byApplicant.size,
      requests: c.members.map((m) => ({
        trackingNumber: m.tracking_number,
        receivedOn: m.received_on,
        applicantName: m.applicant_name,
        state: m.state,
      })),
      proactiveCandidate: byApplicant.size >= settings.repeatThreshold,
      movedOn: moved.find((m) => m.fingerprint === c.key)?.created_at.slice(0, 10) ?? null,
    });
  }
  groups.sort((a, b) => b.applicants - a.applicants);
  return { groups, sameApplicantRepeats };
}
