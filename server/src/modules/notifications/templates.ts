import type { Locale } from '../../lib/i18n.js';

/**
 * What a notification says, rendered at send time in the recipient's language (so a message written
 * before someone switches language still arrives in the new one). Short and plain: these go to
 * elderly residents' phones as well as to the bell.
 */
export const TEMPLATES = ['appointment_requested', 'appointment_reminder', 'appointment_confirmed', 'appointment_cancelled', 'appointment_rescheduled', 'generic'] as const;
export type TemplateId = (typeof TEMPLATES)[number];

/** Payload for the appointment templates. `start` is an ISO instant; shown in Asia/Shanghai. */
export interface AppointmentPayload {
  appointmentId?: string;
  serviceName: string;
  start: string;
  /** Where it happens (station name, "上门" etc.), optional. */
  place?: string;
  /** For a cancellation, the reason if there is one. */
  reason?: string;
}

/** What one message says in one language. */
export interface Words {
  title: string;
  body: string;
}

/**
 * A message composed where it happens (a complaint escalated, a question overdue…): Chinese as
 * `title`/`body` (the default, and all that rows written before English was added carry) and English
 * in `en`, chosen at send time by the recipient's language like the other templates.
 */
export interface GenericPayload extends Words {
  link?: string;
  en?: Words;
}

/** Both languages of a generic message: `say({title, body}, {title, body})`. */
export type Said = Words & { en: Words };
export const say = (zh: Words, en: Words): Said => ({ ...zh, en });

export type Payload = AppointmentPayload | GenericPayload;

export interface Rendered {
  title: string;
  body: string;
  link: string | null;
}

const TZ = 'Asia/Shanghai';
const zhTime = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
const enTime = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

/** "12月3日周三 09:30" / "Wed 3 Dec, 09:30" (Beijing time). */
export function whenText(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (locale === 'en' ? enTime : zhTime).format(d);
}

type Texts = (p: AppointmentPayload, when: string) => { title: string; body: string };

// Worded for either side (the resident, or the worker who delivers the service): no "you booked".
const APPOINTMENT: Record<Exclude<TemplateId, 'generic'>, Record<Locale, Texts>> = {
  // To the worker when a resident books online: the station answers in real time, not at the reminder.
  appointment_requested: {
    'zh-CN': (p, when) => ({ title: '新的预约待确认', body: `居民预约了「${p.serviceName}」，时间 ${when}，请尽快确认。` }),
    en: (p, when) => ({ title: 'New appointment to confirm', body: `A resident booked "${p.serviceName}" for ${when}; please confirm it.` }),
  },
  appointment_reminder: {
    'zh-CN': (p, when) => ({ title: '预约提醒', body: `「${p.serviceName}」预约在 ${when}${p.place ? `，地点：${p.place}` : ''}。` }),
    en: (p, when) => ({ title: 'Appointment reminder', body: `"${p.serviceName}" appointment on ${when}${p.place ? ` at ${p.place}` : ''}.` }),
  },
  appointment_confirmed: {
    'zh-CN': (p, when) => ({ title: '预约已确认', body: `「${p.serviceName}」预约已确认，时间 ${when}${p.place ? `，地点：${p.place}` : ''}。` }),
    en: (p, when) => ({ title: 'Appointment confirmed', body: `"${p.serviceName}" appointment on ${when} is confirmed${p.place ? ` (${p.place})` : ''}.` }),
  },
  appointment_cancelled: {
    'zh-CN': (p, when) => ({ title: '预约已取消', body: `${when} 的「${p.serviceName}」预约已取消${p.reason ? `，原因：${p.reason}` : ''}。` }),
    en: (p, when) => ({ title: 'Appointment cancelled', body: `"${p.serviceName}" appointment on ${when} was cancelled${p.reason ? `: ${p.reason}` : ''}.` }),
  },
  appointment_rescheduled: {
    'zh-CN': (p, when) => ({ title: '预约时间已调整', body: `「${p.serviceName}」预约改到 ${when}${p.place ? `，地点：${p.place}` : ''}。` }),
    en: (p, when) => ({ title: 'Appointment moved', body: `"${p.serviceName}" appointment moved to ${when}${p.place ? ` at ${p.place}` : ''}.` }),
  },
};

/** Render a stored outbox row's template and JSON payload. Unknown templates are an error (a bug). */
export function render(template: string, payload: Payload, locale: Locale): Rendered {
  if (template === 'generic') {
    const g = payload as GenericPayload;
    const words = locale === 'en' && g.en ? g.en : g;
    return { title: String(words.title ?? ''), body: String(words.body ?? ''), link: g.link ?? null };
  }
  const texts = APPOINTMENT[template as Exclude<TemplateId, 'generic'>];
  if (!texts) throw new Error(`unknown notification template ${template}`);
  const p = payload as AppointmentPayload;
  const { title, body } = texts[locale](p, whenText(p.start, locale));
  return { title, body, link: '/appointments' };
}

export function isTemplate(x: string): x is TemplateId {
  return (TEMPLATES as readonly string[]).includes(x);
}
