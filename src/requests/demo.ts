import { addCalendarDays } from '../calendar/calendar.ts';
import type { Context } from '../context.ts';
import { replyDeliverer, replyMaker, supplementRequester } from './commands/requestActions.ts';
import { type NewInfoRequest, requestCreator } from './commands/requestCreator.ts';
import { beijingDate } from './settings.ts';

/** A few requests to 山亭区住建局, so the office's list, the clock and the tracking page show something. */
export const requestsDemoLoader = {
  name: 'info requests',
  async load(ctx: Context): Promise<string> {
    const unit = await ctx.db.selectFrom('units').select('id').where('id', '=', 'st-zjj').executeTakeFirst();
    if (!unit) return 'skipped: no unit st-zjj';
    const today = beijingDate(ctx.now());
    const base: Omit<NewInfoRequest, 'name' | 'description'> = {
      unitId: unit.id,
      applicantKind: 'naturalPerson',
      idType: '居民身份证',
      idNumber: '370406199001011234',
      phone: '13800000000',
      deliveryForm: 'electronic',
      deliveryMethod: 'email',
    };
    const a = await requestCreator(
      ctx,
      { ...base, name: '张演示', description: '山亭区2025年农村危房改造补助对象名单及补助标准' },
      { channel: 'inPerson', submittedOn: addCalendarDays(today, -10) },
    );
    const b = await requestCreator(
      ctx,
      { ...base, name: '李演示', description: '某小区物业专项维修资金使用情况' },
      { channel: 'post', signedOn: addCalendarDays(today, -3) },
    );
    await supplementRequester(ctx, b.id, { onDate: today, missing: '请写明小区名称及所需年度' });
    const c = await requestCreator(
      ctx,
      {
        ...base,
        applicantKind: 'legalPerson',
        organisationKind: 'legalService',
        organisationCode: '91370406MA00000000',
        idNumber: null,
        name: '某律师事务所',
        description: '山亭区住建局2025年建筑工程施工许可办理情况',
      },
      { channel: 'email', confirmedOn: addCalendarDays(today, -20) },
    );
    await replyMaker(ctx, c.id, {
      onDate: today,
      outcome: 'alreadyPublic',
      detail: '山亭区人民政府网站“政务公开”栏目',
    });
    await replyDeliverer(ctx, c.id, { onDate: today, method: '电子邮件' });
    return `3 requests (${a.trackingNumber}, ${b.trackingNumber}, ${c.trackingNumber} — query code ${c.queryCode})`;
  },
};
