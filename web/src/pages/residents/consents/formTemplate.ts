import type { ConsentPurpose, LawfulBasis } from '../../../../../server/src/db/tables';

/**
 * The text of the printed 知情同意书. It is a document the resident signs, so it is in Chinese
 * whatever the interface language, and it lives here as one template rather than in the UI
 * strings. Wording follows PIPL Art. 14–17 (informed, specific consent, right to withdraw),
 * Art. 29 (separate consent to sensitive data) and Art. 31 (guardians of children under 14).
 */

export interface FormContext {
  stationName: string;
  residentName: string;
  lawfulBasis: LawfulBasis;
}

export const FORM_TITLE = '个人信息处理知情同意书';

/** The purposes the person ticks one by one; sensitive data has its own section. */
export const FORM_PURPOSES: { purpose: Exclude<ConsentPurpose, 'sensitive_data'>; name: string; text: string }[] = [
  {
    purpose: 'service',
    name: '提供社工服务',
    text: '登记档案、入户走访、个案与小组服务、建立服务台账，以及向您回访服务情况。',
  },
  {
    purpose: 'referral_sharing',
    name: '转介与信息共享',
    text: '为帮您获得医疗、救助、康复等服务，把转介所必需的信息提供给民政等部门、医院或合作机构；每次只提供完成转介所需的最少信息。',
  },
  {
    purpose: 'volunteer_contact',
    name: '志愿者联系',
    text: '安排志愿者上门或电话服务时，让承担任务的志愿者看到您的姓名、联系电话和大致住址。',
  },
  {
    purpose: 'publicity_photos',
    name: '宣传照片与报道',
    text: '在社工站的宣传材料、展板、公众号中使用有您的照片或服务故事；不公开您的身份证号、电话和详细住址。',
  },
];

export function introParagraphs(c: FormContext): string[] {
  const first =
    `${c.stationName}（以下简称“本站”）在为您提供社会工作服务的过程中，需要收集和使用您的个人信息。` +
    '本站依照《中华人民共和国个人信息保护法》的规定处理您的个人信息：只用于您同意的下列用途，只收集必要的信息，' +
    '不会出售或用于其他目的。';
  const second =
    '您的身份证号、电话、住址、健康和收入情况等信息加密保存，页面上默认遮挡显示，只有经授权的工作人员因工作需要才能查看，' +
    '每次查看都会留下记录。您的档案保存到服务结束后规定的期限，期满后删除或匿名化处理。';
  const duty =
    c.lawfulBasis === 'consent'
      ? null
      : c.lawfulBasis === 'statutory_duty'
        ? '您享受的社会救助等服务属于本站依法承担的职责。依照该法第十三条，为提供这些服务处理您的个人信息可以不取得您的同意，但本站仍将处理情况告知您；下列其他用途须由您自愿选择是否同意。'
        : '本站为在紧急情况下保护您的生命健康和财产安全处理您的个人信息，依照该法第十三条可以不取得您的同意，但本站仍将处理情况告知您；下列其他用途须由您自愿选择是否同意。';
  return duty ? [first, second, duty] : [first, second];
}

export const SENSITIVE_TITLE = '敏感个人信息单独同意（《个人信息保护法》第二十九条）';
export const SENSITIVE_TEXT = [
  '为了评估您的需要、为您申请和提供相应的帮扶服务，本站需要处理您的下列敏感个人信息：健康状况与病史、残疾类别和等级、低保或特困等救助身份、收入和财产状况；如您未满十四周岁，您的全部个人信息均属于敏感个人信息。',
  '这些信息一旦泄露或被不当使用，可能使您受到歧视或人身、财产上的损害。本站采取加密存储、最小授权、查看留痕等措施加以保护，仅在上述必要范围内使用。',
];

export const RIGHTS_TITLE = '您的权利';
export const RIGHTS_TEXT = [
  '您有权查阅、复制您的个人信息，发现信息有误时有权要求更正；在法律规定的情形下有权要求删除。',
  '您可以随时撤回全部或部分同意：告诉为您服务的社工，或到本站书面提出即可。撤回立即生效，本站此后不再为该用途处理您的信息；撤回不影响撤回前已经进行的处理。不同意或撤回某一用途，不影响您获得其他服务。',
];

export const GUARDIAN_TITLE = '监护人代为同意（《个人信息保护法》第三十一条）';
export const GUARDIAN_TEXT = '服务对象未满十四周岁（或依法由监护人代为行使权利），本同意书由其父母或者其他监护人阅读并代为签署。监护人确认已向服务对象作了适合其年龄的说明。';

export const DECLARATION = '本人已阅读（或由工作人员逐条讲解）并理解本同意书的全部内容，上述勾选出于本人真实意愿。';

export const WITNESS_TITLE = '见证（现场口头同意时填写，须两名工作人员）';
