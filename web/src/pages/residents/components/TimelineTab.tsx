import { Empty, Skeleton, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useCursorList } from '../../../api/useCursorList';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LoadMore } from '../../../components/LoadMore';
import { Time } from '../../../components/Time';
import type { TimelineItem } from './api';
import { formatDay } from './dates';
import { isCategory } from './options';

/** Timeline field names → the form's field labels. */
const FIELD_LABEL: Record<string, string> = { villageId: 'village', householdId: 'household', guardianResidentId: 'guardian' };
const KNOWN_KINDS = new Set([
  'created', 'updated', 'revealed', 'consent_given', 'consent_withdrawn', 'imported', 'exported', 'access_report',
  'deletion_requested', 'deletion_approved', 'deletion_rejected', 'anonymised',
  'service', 'appointment_booked', 'appointment_cancelled', 'appointment_rescheduled', 'appointment_no_show',
  'consultation_opened', 'consultation_answered', 'consultation_followed_up', 'consultation_assigned', 'consultation_closed',
  'consultation_converted', 'consultation_published_faq', 'service_request_opened', 'service_request_status', 'rated',
]);
/** Fields whose stored values are internal ids: the timeline says "changed" instead of showing them. */
const ID_FIELDS = new Set(['householdId', 'guardianResidentId']);

export function fieldLabel(t: TFunction, field: string | null): string {
  if (!field) return '';
  return t(`residents.field.${FIELD_LABEL[field] ?? field}`, { defaultValue: field });
}

/** An old or new value in words: enum labels, dates, category lists, village names. */
export function valueText(t: TFunction, lang: string, field: string, value: string | null, villages: Map<string, string>): string {
  if (value === null || value === '') return t('residents.timeline.cleared');
  switch (field) {
    case 'gender':
      return t(`residents.gender.${value}`, { defaultValue: value });
    case 'riskTier':
      return t(`residents.risk.${value}`, { defaultValue: value });
    case 'status':
      return t(`residents.status.${value}`, { defaultValue: value });
    case 'lawfulBasis':
      return t(`residents.lawfulBasis.${value}`, { defaultValue: value });
    case 'relationToHead':
      return t(`residents.relationToHead.${value}`, { defaultValue: value });
    case 'categories':
      return value
        .split(',')
        .map((c) => (isCategory(c) ? t(`residents.category.${c}`) : c))
        .join('、');
    case 'birthDate':
    case 'statusDate':
      return formatDay(value, lang);
    case 'villageId':
      return villages.get(value) ?? value;
    default:
      return value;
  }
}

function Change({ e, villages }: { e: TimelineItem; villages: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  if (e.kind !== 'updated' || !e.field) return null;
  const sensitive = e.oldValue === null && e.newValue === null;
  if (sensitive || ID_FIELDS.has(e.field)) {
    return <div className="xq-muted">{t('residents.timeline.changed')}</div>;
  }
  const to = valueText(t, i18n.language, e.field, e.newValue, villages);
  if (e.oldValue === null || e.oldValue === '') {
    return (
      <div className="xq-timeline-change" data-testid="timeline-change">
        <span className="xq-muted">{t('residents.timeline.set')}</span> {to}
      </div>
    );
  }
  const from = valueText(t, i18n.language, e.field, e.oldValue, villages);
  return (
    <div className="xq-timeline-change" data-testid="timeline-change">
      <span className="xq-muted">{t('residents.timeline.from')}</span> {from} <span aria-hidden>→</span>
      <span className="xq-sr-only">{t('residents.timeline.to')}</span> {to}
    </div>
  );
}

function title(t: TFunction, e: TimelineItem): string {
  if (!KNOWN_KINDS.has(e.kind)) return t('residents.timeline.kind.other', { kind: e.kind });
  const purpose = typeof e.detail?.purpose === 'string' ? t(`consents.purpose.${e.detail.purpose}`) : '';
  const service = typeof e.detail?.serviceName === 'string' ? e.detail.serviceName : t('serviceRecords.noType');
  const text = (k: string) => (typeof e.detail?.[k] === 'string' ? (e.detail[k] as string) : '');
  const status = text('status') ? t(`requests.status.${text('status')}`, { defaultValue: text('status') }) : '';
  return t(`residents.timeline.kind.${e.kind}`, { field: fieldLabel(t, e.field), purpose, service, subject: text('subject'), title: text('title'), status });
}

const COLOR: Record<string, string> = { created: 'green', imported: 'green', revealed: 'orange', anonymised: 'gray', consent_withdrawn: 'red' };

/** 时间线: who changed what and when; sensitive fields only say "已修改". */
export function TimelineTab({ residentId, villages }: { residentId: string; villages: Map<string, string> }) {
  const { t } = useTranslation();
  const list = useCursorList<TimelineItem>(['resident-timeline', residentId], `/api/residents/${residentId}/timeline`, {});
  if (list.isLoading) return <Skeleton active />;
  return (
    <div data-testid="resident-timeline">
      <ErrorAlert error={list.error} />
      {list.items.length === 0 && !list.error ? (
        <Empty description={t('residents.timeline.empty')} />
      ) : (
        <Timeline
          items={list.items.map((e) => {
            const reason = typeof e.detail?.reason === 'string' ? e.detail.reason : null;
            // A service event carries the ledger's summary: what was done, in the worker's words.
            const summary = e.kind === 'service' && typeof e.detail?.summary === 'string' ? e.detail.summary : null;
            return {
              key: e.id,
              color: COLOR[e.kind] ?? 'blue',
              content: (
                <div data-testid="timeline-event" data-kind={e.kind}>
                  <div>
                    <strong>{e.actor?.displayName ?? t('residents.timeline.system')}</strong> {title(t, e)}
                  </div>
                  <Change e={e} villages={villages} />
                  {summary && (
                    <div className="xq-break" data-testid="timeline-service-summary">
                      {summary}
                    </div>
                  )}
                  {reason && (
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      {t('residents.timeline.reason', { reason })}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary" className="xq-small" style={{ display: 'block' }}>
                    <Time value={e.at} relative />
                  </Typography.Text>
                </div>
              ),
            };
          })}
        />
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
