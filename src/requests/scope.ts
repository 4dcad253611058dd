import type { Context } from '../context.ts';
import { assertUnitScope } from '../disclosure/unitScope.ts';
import { AppError } from '../errors.ts';

/**
 * Unit scope of a request (src/disclosure/unitScope.ts): the staff of the body it is addressed to (受理机关), of
 * the unit it was assigned to for handling (承办单位, 交办), and the disclosure office may act on it.
 */
export async function assertRequestScope(
  ctx: Pick<Context, 'db' | 'actor' | 'now'>,
  request: { unit_id: string; handling_unit_id: string | null },
): Promise<void> {
  try {
    await assertUnitScope(ctx, request.unit_id);
  } catch (e) {
    if (!(e instanceof AppError) || !request.handling_unit_id) throw e;
    await assertUnitScope(ctx, request.handling_unit_id);
  }
}
