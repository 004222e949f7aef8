import type { ErrorId } from './errors.js';

export type Locale = 'zh-CN' | 'en';

/** Pick zh-CN unless the client prefers English. */
export function localeOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const ERRORS: Record<ErrorId, Record<Locale, string>> = {
  validation_failed: { 'zh-CN': '提交的内容有误，请检查标出的字段', en: 'Some fields are invalid; please check them' },
  invalid_json: { 'zh-CN': '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  payload_too_large: { 'zh-CN': '提交的内容过大', en: 'The request body is too large' },
  unsupported_media_type: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  unauthenticated: { 'zh-CN': '请先登录', en: 'Please sign in' },
  session_expired: { 'zh-CN': '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  invalid_credentials: { 'zh-CN': '用户名或密码不正确', en: 'Wrong username or password' },
  otp_required: { 'zh-CN': '请输入验证器中的 6 位动态码', en: 'Enter the 6-digit code from your authenticator app' },
  otp_invalid: { 'zh-CN': '动态码不正确或已过期', en: 'The code is wrong or has expired' },
  account_locked: {
    'zh-CN': '连续登录失败次数过多，账号已暂时锁定，请稍后再试或联系管理员',
    en: 'Too many failed sign-ins; the account is locked for now. Try later or ask an administrator',
  },
  csrf_failed: { 'zh-CN': '页面已过期，请刷新后重试', en: 'The page is out of date; reload and try again' },
  forbidden: { 'zh-CN': '您没有权限执行此操作', en: 'You are not allowed to do this' },
  not_found: { 'zh-CN': '找不到该记录', en: 'Not found' },
  already_set_up: { 'zh-CN': '本站已完成初始化', en: 'This station is already set up' },
  duplicate_username: { 'zh-CN': '用户名已被使用', en: 'That username is taken' },
  wrong_password: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  totp_required: { 'zh-CN': '您的角色必须启用两步验证', en: 'Your role requires two-step verification' },
  totp_not_pending: { 'zh-CN': '请先生成新的验证密钥', en: 'Start the set-up first to get a new key' },
  password_change_required: { 'zh-CN': '请先修改初始密码', en: 'Please change your password first' },
  totp_setup_required: { 'zh-CN': '请先启用两步验证', en: 'Please set up two-step verification first' },
  duplicate_resident: { 'zh-CN': '该身份证号已登记过服务对象，请勿重复登记', en: 'A resident with this ID number is already registered' },
  possible_duplicate: {
    'zh-CN': '本村已有同名且出生日期相同的服务对象，请确认不是同一人后再保存',
    en: 'A resident with the same name and birth date already lives in this village; confirm this is a different person',
  },
  version_conflict: { 'zh-CN': '该记录已被他人修改，请刷新后再改', en: 'Someone else changed this record; reload and try again' },
  consent_required: { 'zh-CN': '服务对象未同意或已撤回此用途的授权', en: 'The resident has not consented to this purpose, or withdrew consent' },
  resident_anonymised: { 'zh-CN': '该服务对象的档案已匿名化，不能再修改', en: 'This resident has been anonymised and cannot be changed' },
  invalid_file: { 'zh-CN': '无法读取文件，请上传 .xlsx 或 .csv 文件', en: 'The file cannot be read; upload an .xlsx or .csv file' },
  import_has_problems: { 'zh-CN': '文件中有错误行，整批导入已取消，未写入任何数据', en: 'The file has rows with problems; nothing was imported' },
  idempotency_in_progress: { 'zh-CN': '上一次提交仍在处理中，请稍候再试', en: 'The first attempt is still being processed; try again shortly' },
  idempotency_key_reused: { 'zh-CN': '该请求标识已用于另一项提交', en: 'This Idempotency-Key was used for a different request' },
  already_decided: { 'zh-CN': '该申请已处理', en: 'This request has already been decided' },
  approval_not_allowed: { 'zh-CN': '审批需由两位不同的人分别完成（站长与数据管理员）', en: 'Two different people must approve: a station head and a data officer' },
  already_withdrawn: { 'zh-CN': '该同意已撤回', en: 'This consent has already been withdrawn' },
  rate_limited: { 'zh-CN': '操作过于频繁，请稍后再试', en: 'Too many requests; please wait a moment' },
  internal_error: { 'zh-CN': '服务器出错了，请稍后再试', en: 'Something went wrong on the server; please try again' },
  // Appointments
  slot_taken: { 'zh-CN': '该时段已被预约，请选择其他时间', en: 'That time has just been taken; please choose another' },
  not_bookable: { 'zh-CN': '该时间不可预约，请选择其他时间', en: 'That time cannot be booked; please choose another' },
  invalid_transition: { 'zh-CN': '当前状态不允许此操作，请刷新后查看', en: 'The record is not in a state that allows this; reload to see it' },
  // consultations (add below this line)
  already_converted: { 'zh-CN': '该咨询已转为服务需求', en: 'This consultation has already been turned into a service request' },
  // requests (add below this line)
  // visits (add below this line)
  resident_not_active: { 'zh-CN': '该服务对象已不在册（迁出或去世），不能再登记走访', en: 'This resident is no longer active (moved away or deceased); no visit can be recorded' },
  tier_lowering_needs_head: { 'zh-CN': '降低风险等级须由站长操作，可保持或提高等级', en: 'Only a station head may lower a risk tier; keep or raise it' },
  // feedback (add below this line)
  already_rated: { 'zh-CN': '这次服务已经评价过了，谢谢您', en: 'This service has already been rated; thank you' },
};

export function errorMessage(id: ErrorId, locale: Locale): string {
  return ERRORS[id][locale];
}

/** Messages for field-level validation problems, keyed by a short code. */
const FIELD: Record<string, Record<Locale, string>> = {
  required: { 'zh-CN': '必填', en: 'Required' },
  unknown_field: { 'zh-CN': '不允许的字段', en: 'Unknown field' },
  invalid: { 'zh-CN': '格式不正确', en: 'Invalid value' },
  too_short: { 'zh-CN': '太短', en: 'Too short' },
  too_long: { 'zh-CN': '太长', en: 'Too long' },
  not_allowed_value: { 'zh-CN': '不是允许的取值', en: 'Not an allowed value' },
  wrong_type: { 'zh-CN': '类型不正确', en: 'Wrong type' },
  wrong_password: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  taken: { 'zh-CN': '已被使用', en: 'Already taken' },
  unknown_station: { 'zh-CN': '找不到该站点', en: 'Unknown station' },
  unknown_county: { 'zh-CN': '找不到该区县', en: 'Unknown county' },
  password_too_short: { 'zh-CN': '密码至少 10 位', en: 'At least 10 characters' },
  password_too_long: { 'zh-CN': '密码最多 128 位', en: 'At most 128 characters' },
  password_too_few_classes: {
    'zh-CN': '需包含小写字母、大写字母、数字、符号中的至少 3 类',
    en: 'Use at least 3 of: lowercase, uppercase, digits, symbols',
  },
  password_same_as_username: { 'zh-CN': '密码不能包含用户名', en: 'Must not contain the username' },
  password_too_common: { 'zh-CN': '这个密码太常见，容易被猜到，请换一个', en: 'Too common and easy to guess; choose another' },
  otp_invalid: { 'zh-CN': '动态码不正确或已过期', en: 'The code is wrong or has expired' },
  id_number_invalid: { 'zh-CN': '身份证号不正确', en: 'Invalid ID number' },
  birth_date_mismatch: { 'zh-CN': '出生日期与身份证号不一致', en: 'Birth date does not match the ID number' },
  gender_mismatch: { 'zh-CN': '性别与身份证号不一致', en: 'Gender does not match the ID number' },
  phone_invalid: { 'zh-CN': '电话号码格式不正确', en: 'Invalid phone number' },
  id_or_reason: { 'zh-CN': '请填写身份证号，或说明没有身份证号的原因', en: 'Enter the ID number or say why there is none' },
  guardian_required: { 'zh-CN': '未满 14 周岁须登记监护人', en: 'A guardian is required under 14' },
  status_date_required: { 'zh-CN': '请填写迁出或去世的日期', en: 'Enter the date of the move or death' },
  unknown_village: { 'zh-CN': '找不到该村（社区）', en: 'Unknown village' },
  unknown_household: { 'zh-CN': '找不到该户', en: 'Unknown household' },
  unknown_resident: { 'zh-CN': '找不到该服务对象', en: 'Unknown resident' },
  duplicate_resident: { 'zh-CN': '该身份证号已登记过', en: 'This ID number is already registered' },
  head_taken: { 'zh-CN': '该户已有户主', en: 'This household already has a head' },
  certificate_invalid: { 'zh-CN': '残疾证号不正确', en: 'Invalid disability certificate number' },
  date_invalid: { 'zh-CN': '日期不正确', en: 'Invalid date' },
  date_in_future: { 'zh-CN': '日期不能晚于今天', en: 'The date cannot be in the future' },
  range_too_long: { 'zh-CN': '时间范围不能超过31天', en: 'The range can be at most 31 days' },
  hours_overlap: { 'zh-CN': '与同一天的其他时段重叠', en: 'Overlaps other hours on the same day' },
  unknown_township: { 'zh-CN': '找不到该乡镇（街道）', en: 'Unknown township' },
  // Consents (知情同意)
  guardian_consent_under_14: { 'zh-CN': '未满 14 周岁，须由监护人代为同意', en: 'Under 14: a guardian must give consent' },
  only_for_guardian: { 'zh-CN': '仅在由监护人同意时填写', en: 'Only when a guardian gives consent' },
  date_before_birth: { 'zh-CN': '日期不能早于出生日期', en: 'The date cannot be before the birth date' },
  expiry_not_after_given: { 'zh-CN': '到期日须晚于同意日期', en: 'The expiry must be after the date of consent' },
  expiry_in_past: { 'zh-CN': '到期日须晚于今天', en: 'The expiry must be after today' },
  document_required: { 'zh-CN': '纸质签字须上传签字页扫描件', en: 'Upload the scan of the signed form' },
  unknown_document: { 'zh-CN': '找不到该扫描件', en: 'Unknown scanned form' },
  two_witnesses: { 'zh-CN': '须选择两位不同的见证人', en: 'Choose two different witnesses' },
  unknown_witness: { 'zh-CN': '见证人须为本站工作人员', en: 'Witnesses must be staff of this station' },
  only_for_witnessed: { 'zh-CN': '仅在现场见证时填写', en: 'Only for consent witnessed in person' },
  scan_type: { 'zh-CN': '请上传 JPG、PNG 图片或 PDF 文件', en: 'Upload a JPG or PNG image or a PDF file' },
  scan_too_large: { 'zh-CN': '文件不能超过 10 MB', en: 'The file must be at most 10 MB' },
  // Appointments and service records
  unknown_service_type: { 'zh-CN': '找不到该服务项目', en: 'Unknown service type' },
  unknown_worker: { 'zh-CN': '须为本站工作人员', en: 'Must be a worker of this station' },
  end_before_start: { 'zh-CN': '结束时间不能早于开始时间', en: 'The end cannot be before the start' },
  time_in_future: { 'zh-CN': '时间不能晚于现在', en: 'The time cannot be in the future' },
  one_resident_or_many: { 'zh-CN': '请选择服务对象：一位居民，或小组、社区活动的多位居民', en: 'Choose the resident served, or the residents of a group or community session' },
  duplicate_entry: { 'zh-CN': '重复选择了同一个人', en: 'The same person is chosen twice' },
  several_only_for_groups: { 'zh-CN': '多位居民一起参加的，请选择“小组”或“社区活动”', en: 'For several residents at once choose "Group" or "Community activity"' },
  same_station: { 'zh-CN': '须为同一社工站的居民', en: 'All residents must belong to the same station' },
  no_service_consent: { 'zh-CN': '此人未同意接受服务或已撤回同意，请移出名单', en: 'Has not consented to services, or withdrew consent; take them off the list' },
  // consultations fields (add below this line)
  contains_personal_data: { 'zh-CN': '含有个人信息（姓名、电话或身份证号），请删去后再发布', en: 'Contains personal data (a name, phone or ID number); remove it before publishing' },
  photo_type: { 'zh-CN': '请上传 JPG、PNG 或 WebP 照片', en: 'Upload a JPG, PNG or WebP photo' },
  photo_too_large: { 'zh-CN': '照片不能超过 8 MB', en: 'The photo must be at most 8 MB' },
  too_many_photos: { 'zh-CN': '最多 6 张照片', en: 'At most 6 photos' },
  unknown_photo: { 'zh-CN': '找不到该照片，请重新上传', en: 'Unknown photo; upload it again' },
  minutes_of_day: { 'zh-CN': '时间须在 00:00 到 24:00 之间', en: 'Times must be between 00:00 and 24:00' },
  response_minutes_range: { 'zh-CN': '答复时限须在 0.5 到 80 小时之间', en: 'The response time must be between 0.5 and 80 hours' },
  visit_days_range: { 'zh-CN': '走访间隔须在 1 到 366 天之间', en: 'The visit interval must be 1 to 366 days' },
  visit_days_order: { 'zh-CN': '风险越高走访越勤：高风险 ≤ 重点 ≤ 一般', en: 'Higher risk means more often: high ≤ priority ≤ normal' },
  complaint_days_range: { 'zh-CN': '投诉答复时限须在 1 到 60 个工作日之间', en: 'The complaint deadline must be 1 to 60 working days' },
  // requests fields (add below this line)
  service_too_long: { 'zh-CN': '一次服务不能超过 24 小时', en: 'A service can last at most 24 hours' },
  // visits fields (add below this line)
  visit_too_old: { 'zh-CN': '只能补录 30 天内的走访', en: 'Only visits within the last 30 days can be recorded' },
  too_many_pending: { 'zh-CN': '待提交的照片已达 20 张，请先保存或稍后再传', en: 'You have 20 photos waiting to be saved; save them first or try later' },
  tier_lowering_needs_head: { 'zh-CN': '降低风险等级须由站长操作', en: 'Only a station head may lower the tier' },
  // feedback fields (add below this line)
  own_service: { 'zh-CN': '不能为自己提供的服务登记评价，请由其他工作人员回访', en: 'You cannot record a rating for a service you delivered; ask a colleague to follow up' },
  unknown_service_record: { 'zh-CN': '找不到该服务记录', en: 'Unknown service record' },
  channel_for_staff: { 'zh-CN': '工作人员代录请选择电话、当面或意见箱', en: 'Staff record phone, in-person or box submissions' },
  resident_required: { 'zh-CN': '请选择为哪位居民提交', en: 'Choose the resident this is for' },
  range_too_long_months: { 'zh-CN': '时间范围不能超过24个月', en: 'The range can be at most 24 months' },
};

export function fieldMessage(code: string, locale: Locale): string {
  return FIELD[code]?.[locale] ?? code;
}
