/** Date, time and money formatting. Every time is shown in China time (Asia/Shanghai). */

export const TIME_ZONE = 'Asia/Shanghai';
type Lang = string;

const isEn = (lang: Lang) => lang.toLowerCase().startsWith('en');

const partsCache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = partsCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...opts });
    partsCache.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

interface Parts {
  year: string;
  month: string;
  monthShort: string;
  day: string;
  weekday: string;
  hour: string;
  minute: string;
}

function shanghaiParts(d: Date, lang: Lang): Parts {
  const num = dtf('en-US', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => num.find((p) => p.type === type)?.value ?? '';
  const monthShort = dtf('en-US', { month: 'short' }).format(d);
  const weekday = dtf(isEn(lang) ? 'en-US' : 'zh-CN', { weekday: 'short' }).format(d);
  return {
    year: get('year'),
    month: get('month'),
    monthShort,
    day: get('day'),
    weekday,
    hour: get('hour').padStart(2, '0'),
    minute: get('minute').padStart(2, '0'),
  };
}

/** `2026年11月29日` / `29 Nov 2026` */
export function formatDate(value: string | number | Date, lang: Lang): string {
  const d = toDate(value);
  if (!d) return '';
  const p = shanghaiParts(d, lang);
  return isEn(lang) ? `${p.day} ${p.monthShort} ${p.year}` : `${p.year}年${p.month}月${p.day}日`;
}

/** `2026年11月29日 周日 14:30` / `29 Nov 2026 14:30` */
export function formatDateTime(value: string | number | Date, lang: Lang): string {
  const d = toDate(value);
  if (!d) return '';
  const p = shanghaiParts(d, lang);
  return isEn(lang)
    ? `${p.day} ${p.monthShort} ${p.year} ${p.hour}:${p.minute}`
    : `${p.year}年${p.month}月${p.day}日 ${p.weekday} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD` of the given instant in China time (for date filters). */
export function shanghaiDay(value: string | number | Date): string {
  const d = toDate(value);
  if (!d) return '';
  const p = shanghaiParts(d, 'en');
  return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`;
}

const RELATIVE_LIMIT_DAYS = 7;

/**
 * Relative time for recent events (`刚刚`, `5分钟前`, `3天前`, `2小时后`); older or further
 * away than a week falls back to the full date and time.
 */
export function formatRelative(
  value: string | number | Date,
  lang: Lang,
  now: Date = new Date(),
): string {
  const d = toDate(value);
  if (!d) return '';
  const diffSec = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(diffSec);
  if (abs < 45) return isEn(lang) ? 'just now' : '刚刚';
  const rtf = new Intl.RelativeTimeFormat(isEn(lang) ? 'en' : 'zh-CN', { numeric: 'always' });
  const sign = diffSec < 0 ? -1 : 1;
  if (abs < 3600) return rtf.format(sign * Math.max(1, Math.round(abs / 60)), 'minute');
  if (abs < 86400) return rtf.format(sign * Math.round(abs / 3600), 'hour');
  if (abs < RELATIVE_LIMIT_DAYS * 86400) return rtf.format(sign * Math.round(abs / 86400), 'day');
  return formatDateTime(d, lang);
}

/** `¥1,234.50` from integer fen. */
export function formatMoney(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** `ABCD EFGH IJKL` — a TOTP secret grouped in fours for typing. */
export function groupInFours(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
