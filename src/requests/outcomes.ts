/**
 * Reply outcomes (条例 Art. 36, 37), one per row of table 三 of the annual report (国办公开办函〔2021〕30号), each
 * with the legal wording of its reply letter. `group` is the report's block (（一）…（六）), `row` its numbered
 * sub-row; `disclosed` and `alreadyPublic` both count as （一）予以公开.
 */
export interface Outcome {
  code: string;
  group: OutcomeGroup;
  /** The sub-row's key inside its group (null for （一）and （二）, which have none). */
  row: string | null;
  /** The annual report's wording of the row. */
  label: string;
  /** The article the decision rests on. */
  law: string;
  /** The letter's decisive paragraph; `{detail}` and `{otherAgency}` are filled from the reply. */
  letter: string;
}

export const outcomeGroups = [
  'disclosed',
  'partial',
  'exempt',
  'unavailable',
  'notProcessed',
  'other',
] as const;
export type OutcomeGroup = (typeof outcomeGroups)[number];

export const outcomeGroupLabels: Record<OutcomeGroup, string> = {
  disclosed: '（一）予以公开',
  partial: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  exempt: '（三）不予公开',
  unavailable: '（四）无法提供',
  notProcessed: '（五）不予处理',
  other: '（六）其他处理',
};

const o = (
  code: string,
  group: OutcomeGroup,
  row: string | null,
  label: string,
  law: string,
  letter: string,
) => ({
  code,
  group,
  row,
  label,
  law,
  letter,
});

export const outcomes: readonly Outcome[] = [
  o(
    'disclosed',
    'disclosed',
    null,
    '予以公开',
    '《中华人民共和国政府信息公开条例》第三十六条第（二）项',
    '您申请获取的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关向您提供该政府信息（见附件）。{detail}',
  ),
  o(
    'alreadyPublic',
    'disclosed',
    null,
    '予以公开（已主动公开）',
    '《中华人民共和国政府信息公开条例》第三十六条第（一）项',
    '您申请获取的政府信息已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，您可以通过以下途径获取：{detail}',
  ),
  o(
    'partial',
    'partial',
    null,
    '部分公开',
    '《中华人民共和国政府信息公开条例》第三十七条',
    '您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关向您提供可以公开的部分（见附件），不予公开的部分及理由如下：{detail}',
  ),
  o(
    'exempt.stateSecret',
    'exempt',
    '1',
    '属于国家秘密',
    '《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项',
    '您申请获取的政府信息属于国家秘密。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.lawProhibited',
    'exempt',
    '2',
    '其他法律行政法规禁止公开',
    '《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项',
    '您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.threeSecurity',
    'exempt',
    '3',
    '危及“三安全一稳定”',
    '《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项',
    '您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.thirdParty',
    'exempt',
    '4',
    '保护第三方合法权益',
    '《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项',
    '您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.internalAffairs',
    'exempt',
    '5',
    '属于三类内部事务信息',
    '《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项',
    '您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息。根据《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.processInfo',
    'exempt',
    '6',
    '属于四类过程性信息',
    '《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项',
    '您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.enforcementFile',
    'exempt',
    '7',
    '属于行政执法案卷',
    '《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项',
    '您申请获取的政府信息属于行政执法案卷信息。根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。{detail}',
  ),
  o(
    'exempt.administrativeQuery',
    'exempt',
    '8',
    '属于行政查询事项',
    '《中华人民共和国政府信息公开条例》第三十六条第（七）项',
    '您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的行政查询事项。根据《中华人民共和国政府信息公开条例》第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。{detail}',
  ),
  o(
    'unavailable.notHeld',
    'unavailable',
    '1',
    '本机关不掌握相关政府信息',
    '《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项',
    '经检索，本机关没有制作或者获取您申请公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项的规定，特此告知。{otherAgency}{detail}',
  ),
  o(
    'unavailable.needsCreation',
    'unavailable',
    '2',
    '没有现成信息需要另行制作',
    '《中华人民共和国政府信息公开条例》第三十八条',
    '您申请获取的信息需要本机关对现有政府信息进行加工、分析后方能形成。根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。{detail}',
  ),
  o(
    'unavailable.stillUnclear',
    'unavailable',
    '3',
    '补正后申请内容仍不明确',
    '《中华人民共和国政府信息公开条例》第二十九条第二款、第三十条',
    '经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息。根据《中华人民共和国政府信息公开条例》第二十九条第二款、第三十条的规定，本机关无法提供。{detail}',
  ),
  o(
    'notProcessed.petition',
    'notProcessed',
    '1',
    '信访举报投诉类申请',
    '《中华人民共和国政府信息公开条例》第三十九条第一款',
    '您以政府信息公开申请的形式提出的事项属于信访、投诉、举报等活动。根据《中华人民共和国政府信息公开条例》第三十九条第一款的规定，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。{detail}',
  ),
  o(
    'notProcessed.repeated',
    'notProcessed',
    '2',
    '重复申请',
    '《中华人民共和国政府信息公开条例》第三十六条第（六）项',
    '本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（六）项的规定，本机关不予重复处理。{detail}',
  ),
  o(
    'notProcessed.publication',
    'notProcessed',
    '3',
    '要求提供公开出版物',
    '《中华人民共和国政府信息公开条例》第三十九条第二款',
    '您申请获取的是政府公报、报刊、书籍等公开出版物。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，您可以通过以下途径获取：{detail}',
  ),
  o(
    'notProcessed.excessive',
    'notProcessed',
    '4',
    '无正当理由大量反复申请',
    '《中华人民共和国政府信息公开条例》第三十五条',
    '您申请公开政府信息的数量、频次明显超过合理范围，且未说明合理理由。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关不予处理。{detail}',
  ),
  o(
    'notProcessed.confirmation',
    'notProcessed',
    '5',
    '要求行政机关确认或重新出具已获取信息',
    '《中华人民共和国政府信息公开条例》第三十八条、第三十九条',
    '您要求本机关确认或者重新出具已获取的信息，不属于《中华人民共和国政府信息公开条例》规定的政府信息公开申请，本机关不予处理。{detail}',
  ),
  o(
    'other.noSupplement',
    'other',
    '1',
    '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    '《中华人民共和国政府信息公开条例》第三十条',
    '本机关已于{supplementNoticeDate}向您发出补正通知，您无正当理由逾期未补正。根据《中华人民共和国政府信息公开条例》第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。{detail}',
  ),
  o(
    'other.feeUnpaid',
    'other',
    '2',
    '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    '《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）',
    '本机关已向您发出收费通知，您逾期未按通知要求缴纳信息处理费。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》的规定，本机关不再处理该政府信息公开申请。{detail}',
  ),
  o('other.other', 'other', '3', '其他', '《中华人民共和国政府信息公开条例》', '{detail}'),
];

export const outcomeCodes = outcomes.map((x) => x.code) as [string, ...string[]];

export const outcomeByCode = new Map(outcomes.map((x) => [x.code, x]));

/** The table 三 sub-rows of each group, in the report's order. */
export const outcomeRows: Record<OutcomeGroup, { row: string; label: string }[]> = {
  disclosed: [],
  partial: [],
  exempt: [],
  unavailable: [],
  notProcessed: [],
  other: [],
};
for (const x of outcomes) {
  const rows = outcomeRows[x.group];
  if (x.row && !rows.some((r) => r.row === x.row)) rows.push({ row: x.row, label: x.label });
}
