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
  rate_limited: { 'zh-CN': '操作过于频繁，请稍后再试', en: 'Too many requests; please wait a moment' },
  internal_error: { 'zh-CN': '服务器出错了，请稍后再试', en: 'Something went wrong on the server; please try again' },
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
  unknown_township: { 'zh-CN': '找不到该乡镇（街道）', en: 'Unknown township' },
};

export function fieldMessage(code: string, locale: Locale): string {
  return FIELD[code]?.[locale] ?? code;
}
