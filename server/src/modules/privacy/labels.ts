import type {
  Category, ConsentMethod, ConsentPurpose, LawfulBasis, PhoneRelation, RelationToHead, ResidentStatus, RiskTier,
} from '../../db/tables.js';

/**
 * Chinese words for the codes the access report's workbook shows: the person receiving a copy of
 * their data reads 低保, not `dibao`. Terms follow the glossary in DOMAIN.md.
 */
export const CATEGORY_ZH: Record<Category, string> = {
  dibao: '低保', tekun: '特困供养', dibao_edge: '低保边缘', rigid_expense: '刚性支出困难', poverty_watch: '防止返贫监测',
  elderly_alone: '独居老人', elderly_empty_nest: '空巢老人', elderly_left_behind: '留守老人', elderly_disabled: '失能老人',
  elderly_severe_disability: '重残老人', family_planning_special: '计生特殊家庭', orphan: '孤儿', de_facto_orphan: '事实无人抚养儿童',
  left_behind_child: '留守儿童', child_in_difficulty: '困境儿童', disabled: '残疾人',
};

export const RELATION_TO_HEAD_ZH: Record<RelationToHead, string> = {
  head: '户主', spouse: '配偶', son: '儿子', daughter: '女儿', son_in_law: '女婿', daughter_in_law: '儿媳',
  grandchild: '孙辈', parent: '父母', sibling: '兄弟姐妹', other: '其他',
};

export const PHONE_RELATION_ZH: Record<PhoneRelation, string> = {
  self: '本人', son: '儿子', daughter: '女儿', spouse: '配偶', parent: '父母', grandchild: '孙辈', sibling: '兄弟姐妹',
  relative: '亲属', neighbour: '邻居', village_cadre: '村干部', other: '其他',
};

export const PURPOSE_ZH: Record<ConsentPurpose, string> = {
  service: '提供社会工作服务', sensitive_data: '处理敏感个人信息（单独同意）', referral_sharing: '转介时向合作机构提供',
  volunteer_contact: '志愿者联系', publicity_photos: '宣传照片',
};

export const METHOD_ZH: Record<ConsentMethod, string> = {
  paper_signed: '纸质签字', in_person_witnessed: '当面口头（两名工作人员见证）', online: '线上确认',
};

export const STATUS_ZH: Record<ResidentStatus, string> = { active: '在册', moved: '迁出', deceased: '去世' };
export const RISK_ZH: Record<RiskTier, string> = { high: '高风险', priority: '重点', normal: '一般' };
export const BASIS_ZH: Record<LawfulBasis, string> = {
  consent: '个人同意', statutory_duty: '履行法定职责', vital_interest: '保护生命健康和财产安全',
};
export const GENDER_ZH = { male: '男', female: '女' } as const;
export const DELETION_STATUS_ZH = { open: '待审批', executed: '已匿名化', rejected: '已驳回' } as const;

export const EVENT_KIND_ZH: Record<string, string> = {
  created: '建档', updated: '修改', revealed: '查看明文', consent_given: '签署同意', consent_withdrawn: '撤回同意',
  imported: '导入', exported: '导出', access_report: '查阅复制', deletion_requested: '申请删除',
  deletion_approved: '删除审批通过', deletion_rejected: '删除申请驳回', anonymised: '匿名化', service: '服务记录',
};

/** Field names as they appear on the timeline (camelCase API names) in Chinese. */
export const FIELD_ZH: Record<string, string> = {
  name: '姓名', gender: '性别', birthDate: '出生日期', idNumber: '身份证号', noIdReason: '无身份证号原因', phones: '联系电话',
  villageId: '村（社区）', householdId: '家庭', relationToHead: '与户主关系', address: '住址', categories: '类别',
  disabilityCertificate: '残疾证号', healthNotes: '健康状况', incomeNotes: '收入状况', guardianResidentId: '监护人',
  riskTier: '风险等级', lawfulBasis: '处理依据', status: '状态', statusDate: '状态日期',
};

export const label = <K extends string>(table: Record<K, string>, key: K | null | undefined): string =>
  key == null ? '' : (table[key] ?? key);

// The service history in the access report (codes of the precise-service tables).
export const AREA_ZH: Record<string, string> = {
  elderly_care: '养老服务', child_care: '儿童关爱', social_assistance: '社会救助', disability: '残疾人服务', counselling: '心理疏导',
  policy: '政策咨询', legal_aid: '法律援助', employment: '就业帮扶', other: '其他',
};
export const APPOINTMENT_STATUS_ZH: Record<string, string> = {
  requested: '待确认', confirmed: '已确认', checked_in: '已签到', completed: '已完成', cancelled: '已取消', no_show: '未到',
};
export const CHANNEL_ZH: Record<string, string> = {
  self: '本人线上', phone: '电话', walk_in: '到站', staff: '工作人员代办', online: '线上', in_person: '当面', box: '意见箱',
};
export const CONSULTATION_STATUS_ZH: Record<string, string> = { open: '待答复', answered: '已答复', closed: '已办结' };
export const REQUEST_STATUS_ZH: Record<string, string> = { open: '待分派', assigned: '已分派', in_progress: '办理中', fulfilled: '已完成', cancelled: '已取消' };
export const URGENCY_ZH: Record<string, string> = { low: '不急', normal: '一般', high: '较急', urgent: '紧急' };
export const VISIT_MODE_ZH: Record<string, string> = { home: '入户', phone: '电话', video: '视频', other: '其他' };
export const SERVICE_METHOD_ZH: Record<string, string> = {
  casework: '个案', group: '小组', community: '社区', visit: '走访', phone: '电话', online: '线上', station: '到站',
};
export const FEEDBACK_KIND_ZH: Record<string, string> = { suggestion: '意见建议', complaint: '投诉' };
export const FEEDBACK_STATUS_ZH: Record<string, string> = { open: '待处理', in_progress: '处理中', resolved: '已答复', closed: '已办结' };
export const CHECKLIST_ZH: Record<string, string> = {
  housing_safety: '住房安全', heating_cooling: '取暖降温', food: '饮食', water: '饮水', hygiene: '卫生', medication: '用药',
  mobility: '行动', mental_state: '精神状态', caregiver: '照料人', utilities: '水电费',
};
export const CHECK_VALUE_ZH: Record<string, string> = { ok: '正常', concern: '有问题', na: '不适用' };
export const RISK_FLAG_ZH: Record<string, string> = {
  fall_risk: '跌倒风险', no_food: '缺少食物', unpaid_utilities: '欠缴水电费', untreated_illness: '有病未医', signs_of_abuse: '疑似受虐',
  self_harm_talk: '流露轻生念头', caregiver_absent: '无人照料', unsafe_housing: '住房不安全', lost_contact: '失联',
};
