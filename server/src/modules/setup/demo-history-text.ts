import type { ServiceArea, ServiceMethod, Urgency } from '../../db/tables.js';

// The words of the demo history: what residents ask, what workers write down. All invented, in the
// voice of a township station in Hunan; nothing here names a real person.

/** Summaries for completed appointments, by service type name. */
export const APPOINTMENT_SUMMARIES: Record<string, string[]> = {
  政策咨询: [
    '咨询低保年审需要准备的材料，已逐项说明并给出材料清单',
    '咨询高龄津贴申领条件，已告知满80周岁按月发放及办理流程',
    '咨询残疾人两项补贴，已说明困难残疾人生活补贴和重度残疾人护理补贴的区别',
    '咨询临时救助申请条件，已指导填写申请表',
    '咨询城乡居民医保报销比例和异地就医备案办法',
    '咨询特困供养标准及照料护理补贴，已解答',
    '咨询养老保险待遇资格认证，已演示手机认证步骤',
  ],
  代办服务: [
    '代办低保年审材料，已收齐并提交镇民政办',
    '代办残疾证换证，已预约县残联评残时间',
    '代办住院医保报销材料，发票和费用清单已提交',
    '代办高龄津贴申领，已录入系统',
    '代办养老保险待遇资格认证，已完成',
  ],
  心理疏导: [
    '老伴去世后情绪低落，进行哀伤疏导，约定两周后再谈',
    '与儿媳关系紧张，倾听并引导换一种沟通方式',
    '孙子厌学、沉迷手机，与祖母一起讨论陪伴和约定规则的方法',
    '独居焦虑、夜里睡不着，教授放松练习，建议到卫生院评估',
    '外出务工子女长期不联系，情绪波动大，做情绪支持并协助联系子女',
  ],
  上门探访: [
    '上门了解居家安全情况，检查了用电和燃气',
    '上门协助整理药品，讲解每天服药时间',
    '上门陪伴聊天，了解近期生活需求',
  ],
  电话关怀: ['电话问候近况，身体尚可，提醒按时服药', '电话了解天气变化后的身体情况，提醒添衣保暖'],
  法律援助咨询: [
    '咨询子女不履行赡养义务的处理办法，已转介县法律援助中心',
    '咨询宅基地边界纠纷的调解流程，已联系村调委会',
    '咨询工伤认定时限及所需材料，已说明',
  ],
};

export const OUTCOMES = ['已解决', '已告知办理流程，居民表示清楚', '居民满意，无其他需求', '材料已提交，等待审批结果'];
export const FOLLOW_UP_OUTCOMES = ['需跟进：材料不全，约定下周补交', '需跟进：两周后回访了解情况', '需跟进：已转介，待对方机构反馈'];

export const CANCEL_REASONS = ['居民身体不适，改日再约', '家中有事，居民电话取消', '子女回家陪同办理，不需要了', '暴雨天气，道路不便，双方商定改期', '社工临时参加镇里紧急会议，已电话致歉'];

export const PHONE_CARE = [
  '电话问候，老人说最近身体还好，按时吃药',
  '电话关怀，提醒天冷添衣，注意用火用电安全',
  '电话问候，老人说血压有点高，已提醒去卫生院复查',
  '电话联系，老人的儿子接听，说老人近况平稳',
  '电话关怀，老人说米和油还够，菜园里有菜',
  '电话问候，了解到老人腿疼加重，约好下周上门看看',
  '电话关怀，提醒防范电话诈骗，不要轻信“保健品”推销',
];

export const RISK_FLAGS = ['fall_risk', 'no_food', 'unpaid_utilities', 'untreated_illness', 'signs_of_abuse', 'self_harm_talk', 'caregiver_absent', 'unsafe_housing', 'lost_contact'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];
export const CHECKLIST_ITEMS = ['housing_safety', 'heating_cooling', 'food', 'water', 'hygiene', 'medication', 'mobility', 'mental_state', 'caregiver', 'utilities'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

/** What each flag is seen as on the checklist, and what the worker wrote. */
export const FLAG_NOTES: Record<RiskFlag, { item: ChecklistItem; text: string }> = {
  fall_risk: { item: 'mobility', text: '卫生间地面湿滑，没有扶手，老人说上周差点摔倒，已提醒家属加装扶手。' },
  no_food: { item: 'food', text: '米缸快见底，冰箱里只有咸菜，已联系村委送米送油，并申请助餐。' },
  unpaid_utilities: { item: 'utilities', text: '电费已欠两个月，已协助联系供电所了解缓缴办法。' },
  untreated_illness: { item: 'medication', text: '右腿肿痛一周没有就医，已联系村医上门查看。' },
  signs_of_abuse: { item: 'caregiver', text: '手臂有淤青，老人说是自己碰的，说话躲闪，已记录并向站长报告，持续关注。' },
  self_harm_talk: { item: 'mental_state', text: '老人多次说“活着没意思”，已做危机评估，通知站长和家属，约定明天再来。' },
  caregiver_absent: { item: 'caregiver', text: '照料的儿子外出务工，近一个月无人照看，已联系村干部安排邻里互助。' },
  unsafe_housing: { item: 'housing_safety', text: '厨房墙体有裂缝，雨天漏水，已报村委申请危房评估。' },
  lost_contact: { item: 'mental_state', text: '敲门无人应答，邻居说已有几天没见到，已联系村干部和家属寻找。' },
};

export const ELDER_OPENINGS = [
  '老人在家，精神状态较好，正在院子里晒太阳。',
  '老人坐在堂屋看电视，说话清楚，面色正常。',
  '家里收拾得干净，灶上有热饭菜。',
  '老人刚从菜园回来，说最近胃口不错。',
  '老人腿脚不太灵便，扶着拐杖在屋里走动。',
  '老伴在旁边照看，两位老人情绪都还好。',
  '老人说夜里睡得不太好，白天精神一般。',
];
export const CHILD_OPENINGS = [
  '孩子放学在家写作业，奶奶在旁边陪着，作业完成得不错。',
  '孩子有点内向，聊到学校的事才慢慢开口，说和同学相处还好。',
  '孩子的父母在广东打工，每周视频一次，孩子说想爸爸妈妈。',
  '孩子身体健康，衣着干净，家里给他留了写作业的桌子。',
];
export const ADULT_OPENINGS = ['本人在家，精神尚可，说最近在做些手工补贴家用。', '本人与母亲同住，母亲身体一般，家务主要由本人承担。'];
export const PHONE_OPENINGS = [
  '老人接的电话，声音洪亮，说最近吃得好睡得好。',
  '女儿接的电话，说老人这几天感冒刚好，已经能下地干活。',
  '老人说腿疼老毛病又犯了，药还够吃。',
  '老人说儿子上周回来过，家里米油都买齐了。',
  '老人耳背，大声说了几遍才听清，情绪还好。',
];
export const CLOSINGS = ['已宣传防诈骗知识。', '提醒按时服药、定期复查。', '留下社工联系电话，有事随时打。', '告知站里近期的活动安排。', ''];

export interface ConsultationTopic {
  area: ServiceArea;
  subject: string;
  question: string;
  answer: string;
  resolution: string;
  faq?: { question: string; answer: string };
}

export const CONSULTATION_TOPICS: ConsultationTopic[] = [
  {
    area: 'social_assistance', subject: '低保年审需要哪些材料',
    question: '我家低保今年要年审了，需要准备哪些材料？我腿脚不方便，能不能不去镇上？',
    answer: '您好，低保年审需要：户口本、身份证复印件、家庭成员收入情况说明、银行卡号。您行动不便的话，社工可以上门收材料，我们约个时间。',
    resolution: '已上门收齐年审材料并提交镇民政办。',
    faq: { question: '低保年审需要准备哪些材料？', answer: '户口本、身份证复印件、家庭成员收入情况说明和银行卡号。行动不便的可以请社工上门收取材料。' },
  },
  {
    area: 'policy', subject: '高龄津贴怎么申请',
    question: '我父亲下个月满80岁，高龄津贴要怎么申请？',
    answer: '满80周岁的老人可以申领高龄津贴。带老人身份证、户口本和本人银行卡到村委会或社工站登记，审核通过后按月发放。',
    resolution: '已告知办理流程，家属下周带材料来站里办理。',
    faq: { question: '高龄津贴怎么申请？', answer: '满80周岁即可申领。带本人身份证、户口本和本人银行卡到村委会或社工站登记，审核通过后按月发放到卡上。' },
  },
  {
    area: 'disability', subject: '残疾人两项补贴',
    question: '我儿子有残疾证，听说有补贴，能领什么？',
    answer: '残疾人两项补贴是：低保家庭的持证残疾人可以申请困难残疾人生活补贴；一、二级残疾人和三、四级智力、精神残疾人可以申请重度残疾人护理补贴。我们可以帮您在系统里申请。',
    resolution: '已协助在两项补贴系统提交申请。',
    faq: { question: '残疾人两项补贴是什么，谁能申请？', answer: '困难残疾人生活补贴：低保家庭中的持证残疾人；重度残疾人护理补贴：一、二级残疾人，以及三、四级智力、精神残疾人。可通过村委会或社工站申请。' },
  },
  {
    area: 'social_assistance', subject: '住院花费大，能否申请临时救助',
    question: '家里老人突然住院，花了好几万，家里实在困难，可以申请临时救助吗？',
    answer: '因疾病导致基本生活暂时困难的可以申请临时救助。请准备住院发票、诊断证明、身份证和户口本，我们帮您整理后提交镇民政办。',
    resolution: '已协助提交临时救助申请，镇民政办已受理。',
    faq: { question: '因病住院花费大，可以申请临时救助吗？', answer: '可以。因疾病等原因导致基本生活暂时出现严重困难的家庭可以申请。需要住院发票、诊断证明、身份证和户口本，社工可协助整理提交。' },
  },
  {
    area: 'policy', subject: '外地住院医保怎么报销',
    question: '在长沙住院的费用，回来以后怎么报销？',
    answer: '异地就医最好先备案，备案后可以直接结算。没备案的，带发票、费用清单、出院小结和社保卡到镇医保窗口报销。',
    resolution: '已告知报销所需材料，居民已去医保窗口办理。',
  },
  {
    area: 'child_care', subject: '孙子成绩下降，不爱说话',
    question: '孙子最近成绩下降，回家也不爱说话，他爸妈在外地，我不知道怎么办。',
    answer: '谢谢您告诉我们。可以安排社工和孩子聊一聊，也欢迎孩子参加每周五下午的留守儿童成长小组。',
    resolution: '已安排社工面谈，孩子已加入成长小组。',
  },
  {
    area: 'legal_aid', subject: '子女不给赡养费',
    question: '我两个儿子都不给赡养费，我一个人过不下去了，怎么办？',
    answer: '子女有赡养父母的法定义务。我们可以先请村调委会一起调解；调解不成，可以帮您申请法律援助。',
    resolution: '村调委会调解后，两个儿子同意每月各给300元。',
  },
  {
    area: 'counselling', subject: '老伴走后睡不着',
    question: '老伴走了以后，我整夜睡不着，心里空落落的。',
    answer: '您的难过我们能理解。社工可以上门陪您说说话，也可以约时间来站里聊。如果睡眠一直不好，建议去卫生院看看。',
    resolution: '已安排心理疏导，老人情绪有所好转。',
  },
  {
    area: 'policy', subject: '养老保险资格认证',
    question: '养老金要做资格认证，我不会用手机，怎么办？',
    answer: '可以来社工站，我们帮您用手机做人脸认证；行动不便的，社工上门帮您做。',
    resolution: '已上门协助完成认证。',
  },
  {
    area: 'elderly_care', subject: '能不能送饭上门',
    question: '我一个人住，做饭越来越吃力，村里能不能送饭？',
    answer: '村里的幸福食堂可以为独居老人送餐，我们帮您登记，费用有补贴。',
    resolution: '已登记助餐服务，每天中午送餐上门。',
  },
  {
    area: 'employment', subject: '就近找份零工',
    question: '我腿有残疾，想在附近找点活干，有没有合适的？',
    answer: '镇上的扶贫车间有手工活，可以在家做。我们帮您联系车间负责人。',
    resolution: '已对接扶贫车间，领取了手工活。',
  },
];

export interface RequestTemplate {
  area: ServiceArea;
  title: string;
  description: string;
  outcome: string;
  method: ServiceMethod;
  urgency: Urgency;
  volunteer: boolean;
}

export const REQUEST_TEMPLATES: RequestTemplate[] = [
  { area: 'elderly_care', title: '助餐服务', description: '独居，做饭困难，申请每天中午送餐上门。', outcome: '已对接村幸福食堂，每天11点送餐上门。', method: 'visit', urgency: 'normal', volunteer: true },
  { area: 'social_assistance', title: '代办低保年审', description: '行动不便，请社工上门收取低保年审材料并代为提交。', outcome: '材料已提交镇民政办，年审通过。', method: 'visit', urgency: 'normal', volunteer: false },
  { area: 'other', title: '家电维修', description: '家里电饭煲和堂屋的灯坏了，请志愿者上门看看。', outcome: '志愿者上门更换了灯泡和开关，电饭煲送修已取回。', method: 'visit', urgency: 'low', volunteer: true },
  { area: 'social_assistance', title: '临时救助申请协助', description: '家中老人住院花费大，请协助整理材料申请临时救助。', outcome: '已协助提交申请，获批临时救助金。', method: 'casework', urgency: 'high', volunteer: false },
  { area: 'elderly_care', title: '代购药品', description: '降压药快吃完了，行动不便，请帮忙到卫生院代购。', outcome: '志愿者已代购药品送到家中。', method: 'visit', urgency: 'high', volunteer: true },
  { area: 'elderly_care', title: '陪同就医', description: '要去县医院复查，子女不在身边，需要有人陪同。', outcome: '社工陪同到县医院完成复查。', method: 'casework', urgency: 'normal', volunteer: false },
  { area: 'disability', title: '辅具申请', description: '行走越来越困难，申请轮椅。', outcome: '已向县残联申请，轮椅已送到家中。', method: 'casework', urgency: 'normal', volunteer: false },
  { area: 'elderly_care', title: '上门理发', description: '很久没理发了，出门不方便，希望有人上门理发。', outcome: '志愿者上门理发。', method: 'visit', urgency: 'low', volunteer: true },
  { area: 'other', title: '清洁卫生', description: '屋里很久没打扫，自己弯不下腰，请帮忙打扫。', outcome: '志愿者上门打扫了厨房和卧室。', method: 'visit', urgency: 'low', volunteer: true },
  { area: 'child_care', title: '学习辅导', description: '孩子数学跟不上，家里没人能辅导，希望安排辅导。', outcome: '已安排大学生志愿者每周线上辅导一次。', method: 'online', urgency: 'low', volunteer: false },
  { area: 'social_assistance', title: '代办残疾证换证', description: '残疾证快到期了，请帮忙预约换证。', outcome: '已预约评残并完成换证。', method: 'station', urgency: 'normal', volunteer: false },
];

export const GROUPS: { name: string; area: ServiceArea; weekday: number; minute: number; duration: number; kind: 'elder' | 'child' | 'disabled'; topics: string[] }[] = [
  {
    name: '夕阳红互助小组', area: 'elderly_care', weekday: 3, minute: 14 * 60 + 30, duration: 90, kind: 'elder',
    topics: ['第{n}次小组活动：健康讲座——高血压的日常管理', '第{n}次小组活动：怀旧分享，讲讲年轻时的故事', '第{n}次小组活动：手指操和防跌倒练习', '第{n}次小组活动：学用智能手机视频通话', '第{n}次小组活动：邻里互助结对'],
  },
  {
    name: '留守儿童成长小组', area: 'child_care', weekday: 5, minute: 15 * 60 + 30, duration: 90, kind: 'child',
    topics: ['第{n}次小组活动：认识情绪，画出我的心情', '第{n}次小组活动：给爸爸妈妈写一封信', '第{n}次小组活动：安全教育——防溺水与交通安全', '第{n}次小组活动：合作游戏与作业互助'],
  },
  {
    name: '残疾人康复互助小组', area: 'disability', weekday: 2, minute: 14 * 60 + 30, duration: 90, kind: 'disabled',
    topics: ['第{n}次小组活动：康复操练习与经验分享', '第{n}次小组活动：两项补贴政策解读', '第{n}次小组活动：手工编织，学一门手艺', '第{n}次小组活动：辅具使用与保养'],
  },
];

export const COMMUNITY_ACTIVITIES = ['防范电信诈骗宣传进村', '重阳敬老义诊活动', '惠民政策宣讲会', '冬季用火用电安全宣传', '“我们的节日”中秋茶话会', '留守儿童暑期安全教育'];

export const RATING_LOW_COMMENTS = ['等了很久才轮到我', '说得太快了没听明白', '来晚了也没提前打电话', '材料交了很久没消息'];
export const RATING_GOOD_COMMENTS = ['社工很耐心，谢谢', '办事很快，不用跑镇上了', '小张人很好', '讲得很清楚', null, null, null, null];

export const SUGGESTIONS: { subject: string; body: string; response: string | null }[] = [
  { subject: '希望周六上午也开门', body: '子女周末才回家，希望周六上午也能来站里办事。', response: '已研究，每月第一个周六上午安排值班。' },
  { subject: '建议村里设助餐点', body: '我们组老人多，离食堂远，建议在组里设一个送餐点。', response: '已与村委商量，下月在老屋组增设送餐点。' },
  { subject: '希望定期组织义诊', body: '上次的义诊很好，希望每季度都搞一次。', response: null },
  { subject: '活动室空调不制冷', body: '站里活动室空调夏天不怎么凉，开会的时候很热。', response: '已报修，空调已加氟。' },
  { subject: '开个老年人用手机的课', body: '好多老人不会用手机视频，希望教一教。', response: null },
  { subject: '政策宣传材料字太小', body: '发的宣传单字太小，老人看不清，希望印大一点。', response: '已改用大字版宣传单。' },
];

export const COMPLAINTS: { subject: string; body: string; response: string | null }[] = [
  { subject: '预约后等了很久', body: '约的九点，快十点才轮到，也没人解释。', response: '已向居民致歉，调整了预约间隔。' },
  { subject: '电话总是打不通', body: '站里的电话打了好几次都没人接。', response: '已增设值班手机，号码已公示。' },
  { subject: '上门迟到未提前告知', body: '说好上午来，下午才来，我们在家等了一上午。', response: null },
  { subject: '补贴办理进度太慢', body: '残疾人补贴材料交了一个多月，还没有消息。', response: null },
];
