import type { Locale } from '../../lib/i18n.js';
import type { MappingTarget } from './fields.js';

/** Messages only the roster import needs; the field validators' own messages come from i18n/identity. */
const MESSAGES = {
  id_lost_digits: {
    'zh-CN': 'Excel 把身份证号存成了数字，后几位已丢失。请把该列设为“文本”格式后重新填写身份证号',
    en: 'Excel stored the ID number as a number and lost its last digits. Format the column as Text and re-enter it',
  },
  gender_invalid: { 'zh-CN': '性别应填“男”或“女”', en: 'Gender must be 男 (male) or 女 (female)' },
  gender_missing: { 'zh-CN': '请填写性别（有身份证号时可留空）', en: 'Enter the gender (may be left empty when there is an ID number)' },
  birth_missing: { 'zh-CN': '请填写出生日期（有身份证号时可留空）', en: 'Enter the birth date (may be left empty when there is an ID number)' },
  birth_month_only: {
    'zh-CN': '出生日期只有年月，且没有身份证号可补全日期，请填写完整的出生日期',
    en: 'The birth date has only year and month and there is no ID number to complete it; enter the full date',
  },
  date_unreadable: {
    'zh-CN': '无法识别的日期，请写成 1948-03-15、1948/3/15 或 1948年3月15日',
    en: 'Unreadable date; write it as 1948-03-15, 1948/3/15 or 1948年3月15日',
  },
  village_missing: { 'zh-CN': '请填写所属村（社区）', en: 'Enter the village' },
  village_unknown: {
    'zh-CN': '不是本站的村（社区）：“{v}”。请核对名称，或确认该村属于您所在的站点',
    en: 'Not a village of your station: "{v}". Check the name, or whether the village belongs to your station',
  },
  village_ambiguous: {
    'zh-CN': '“{v}”与您多个站点的村重名，请改填 12 位村级区划代码',
    en: '"{v}" names villages in several of your stations; use the 12-digit village code instead',
  },
  category_unknown: {
    'zh-CN': '无法识别的类别：{v}。可用的类别如：低保、特困供养、低保边缘、独居老人、留守儿童、残疾人',
    en: 'Unknown category: {v}. Known ones include 低保, 特困供养, 低保边缘, 独居老人, 留守儿童, 残疾人',
  },
  risk_unknown: { 'zh-CN': '风险等级应填“高风险”“重点”或“一般”', en: 'Risk tier must be 高风险 (high), 重点 (priority) or 一般 (normal)' },
  too_long: { 'zh-CN': '内容过长（最多 {v} 字）', en: 'Too long (at most {v} characters)' },
  too_many_phones: { 'zh-CN': '电话最多 5 个', en: 'At most 5 phone numbers' },
  guardian_warning: {
    'zh-CN': '未满 14 周岁：名册中没有监护人，导入后请在档案中登记监护人',
    en: 'Under 14: the roster has no guardian; register the guardian on the record after the import',
  },
  already_registered: { 'zh-CN': '已登记（身份证号相同），跳过', en: 'Already registered (same ID number); skipped' },
  already_present: {
    'zh-CN': '已登记（同村、同名、同出生日期，无身份证号），跳过',
    en: 'Already registered (same village, name and birth date, no ID number); skipped',
  },
  same_as_row: { 'zh-CN': '与第 {v} 行是同一人，跳过', en: 'Same person as row {v}; skipped' },
} satisfies Record<string, Record<Locale, string>>;

export type RosterMessage = keyof typeof MESSAGES;

export function rosterMessage(code: RosterMessage, locale: Locale, v?: string | number): string {
  const m = MESSAGES[code][locale];
  return v === undefined ? m : m.replace('{v}', String(v));
}

/** Column names used when the roster has no column for a field, and as the template's headers. */
const LABELS: Record<'name' | 'gender' | 'idNumber' | 'noIdReason' | 'birthDate' | 'village' | 'address' | 'categories' | 'riskTier' | 'disabilityCertificate' | 'healthNotes' | 'incomeNotes' | 'phone', Record<Locale, string>> = {
  name: { 'zh-CN': '姓名', en: 'Name' },
  gender: { 'zh-CN': '性别', en: 'Gender' },
  idNumber: { 'zh-CN': '身份证号', en: 'ID number' },
  noIdReason: { 'zh-CN': '无身份证原因', en: 'Reason for no ID' },
  birthDate: { 'zh-CN': '出生日期', en: 'Birth date' },
  village: { 'zh-CN': '村（社区）', en: 'Village' },
  address: { 'zh-CN': '住址', en: 'Address' },
  categories: { 'zh-CN': '类别', en: 'Categories' },
  riskTier: { 'zh-CN': '风险等级', en: 'Risk tier' },
  disabilityCertificate: { 'zh-CN': '残疾证号', en: 'Disability certificate' },
  healthNotes: { 'zh-CN': '健康状况', en: 'Health notes' },
  incomeNotes: { 'zh-CN': '收入情况', en: 'Income notes' },
  phone: { 'zh-CN': '联系电话', en: 'Phone' },
};

export function fieldLabel(target: MappingTarget | keyof typeof LABELS, locale: Locale): string {
  const key = target.startsWith('phone') ? 'phone' : (target as keyof typeof LABELS);
  return LABELS[key][locale];
}
