import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, DatePicker, Empty, Form, Select, Tag, Typography } from 'antd';
import { FilterOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ServiceRecordView } from '../../../../server/src/modules/service-records/schema';
import { isApiError } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../components/format';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import type { Column } from '../../components/ResponsiveTable';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { useIsMobile } from '../../components/useIsMobile';
import { useResident } from '../residents/components/api';
import { useStationWorkers } from '../appointments/api';
import { WhenText } from '../appointments/bits';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { ManualRecordDrawer } from './ManualRecordDrawer';
import type { RecordFilterKey, RecordFilters } from './recordParams';
import { METHODS, readFilters, toApiQuery } from './recordParams';
import './serviceRecords.css';

const WRITERS = new Set(['social_worker', 'station_head']);
/** API query field → the filter's label. */
const FILTER_FIELD: Record<string, string> = { residentId: 'resident', workerId: 'worker', method: 'method', from: 'time', to: 'time', followUpNeeded: 'followUpNeeded', activityId: 'activity' };

export function columns(t: TFunction): Column<ServiceRecordView>[] {
  return [
    { key: 'when', title: t('serviceRecords.field.time'), width: 150, render: (r) => <WhenText start={r.start} end={r.end} /> },
    {
      key: 'resident',
      title: t('serviceRecords.field.resident'),
      hideOnCard: true,
      render: (r) => <Link to={`/residents/${r.resident.id}`}>{r.resident.name}</Link>,
    },
    { key: 'service', title: t('serviceRecords.field.service'), render: (r) => r.serviceType?.name ?? <span className="xq-muted">{t('serviceRecords.noType')}</span> },
    {
      key: 'method',
      title: t('serviceRecords.field.method'),
      render: (r) => (
        <span className="xq-sr-flags">
          {t(`serviceRecords.method.${r.method}`)}
          {/* A group or community session: this row is one of its residents; the link lists them all. */}
          {r.activityId && r.participants > 1 && (
            <Link to={`/service-records?activity=${r.activityId}`} data-testid="record-participants">
              <Tag color="blue">{t('serviceRecords.participantsCount', { n: r.participants })}</Tag>
            </Link>
          )}
        </span>
      ),
    },
    { key: 'worker', title: t('serviceRecords.field.worker'), render: (r) => <span data-testid="record-workers">{[r.worker, ...r.coWorkers].map((w) => w.name).join('、')}</span> },
    {
      key: 'summary',
      title: t('serviceRecords.field.summary'),
      width: 300,
      render: (r) => (
        <Typography.Paragraph className="xq-sr-summary" ellipsis={{ rows: 3, expandable: true, symbol: t('serviceRecords.more') }} style={{ margin: 0 }} data-testid="record-summary">
          {r.summary}
        </Typography.Paragraph>
      ),
    },
    { key: 'outcome', title: t('serviceRecords.field.outcome'), width: 180, render: (r) => <span className="xq-sr-outcome">{r.outcome ?? '—'}</span> },
    {
      key: 'flags',
      title: t('serviceRecords.field.source'),
      render: (r) => (
        <span className="xq-sr-flags">
          <Tag>{t(`serviceRecords.source.${r.source}`)}</Tag>
          {r.followUpNeeded && (
            <Tag color="orange" data-testid="record-follow-up">
              {t('serviceRecords.followUp')}
            </Tag>
          )}
        </span>
      ),
    },
  ];
}

interface FilterValues {
  residentId?: string;
  workerId?: string;
  method?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  followUp?: boolean;
}

/** 服务台账: every service once, newest first; filters in the URL. */
export function ServiceRecordsPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const list = useCursorList<ServiceRecordView>(['service-records'], '/api/service-records', toApiQuery(filters), 30);
  const [adding, setAdding] = useState(false);
  // On a phone the filters fold away until asked for (or in use).
  const mobile = useIsMobile();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const canWrite = user.roles.some((r) => WRITERS.has(r.role));
  const filtered = Object.keys(filters).length > 0;
  const pickedResident = useResident(filters.residentId);
  const station = useCurrentStation(user);
  const stationWorkers = useStationWorkers(station?.id);

  const workers = useMemo(() => {
    const m = new Map<string, string>([[user.id, t('serviceRecords.me', { name: user.displayName })]]);
    for (const w of stationWorkers.data ?? []) if (!m.has(w.id)) m.set(w.id, w.displayName);
    for (const r of list.items) if (!m.has(r.worker.id)) m.set(r.worker.id, r.worker.name);
    if (filters.workerId && !m.has(filters.workerId)) m.set(filters.workerId, filters.workerId);
    return [...m].map(([value, label]) => ({ value, label }));
  }, [list.items, stationWorkers.data, user.id, user.displayName, filters.workerId, t]);

  const apply = (v: FilterValues) => {
    const next: RecordFilters = {
      residentId: v.residentId,
      workerId: v.workerId,
      method: v.method,
      from: v.range?.[0]?.format('YYYY-MM-DD'),
      to: v.range?.[1]?.format('YYYY-MM-DD'),
      followUp: v.followUp ? '1' : undefined,
    };
    const sp = new URLSearchParams();
    for (const [k, val] of Object.entries(next) as [RecordFilterKey, string | undefined][]) if (val) sp.set(k, val);
    setParams(sp);
  };

  const initial: FilterValues = {
    residentId: filters.residentId,
    workerId: filters.workerId,
    method: filters.method,
    followUp: filters.followUp === '1',
    range: filters.from || filters.to ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] : null,
  };

  return (
    <div className="xq-page" data-testid="service-records">
      <PageHeader
        title={t('serviceRecords.title')}
        sub={t('serviceRecords.sub')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="record-create">
              {t('serviceRecords.create')}
            </Button>
          )
        }
      />
      {mobile && !filtered && !filtersOpen ? (
        <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)} aria-expanded={false} style={{ marginBottom: 16 }} data-testid="record-filters-toggle">
          {t('serviceRecords.filters')}
        </Button>
      ) : (
        <Form<FilterValues>
          key={params.toString()}
          layout="inline"
          className="xq-filter-form"
          initialValues={initial}
          onFinish={apply}
          data-testid="record-filters"
        >
          <Form.Item name="residentId" label={t('serviceRecords.field.resident')}>
            <ResidentPicker testId="record-filter-resident" initialLabel={pickedResident.data?.name} />
          </Form.Item>
          <Form.Item name="workerId" label={t('serviceRecords.field.worker')}>
            <Select allowClear options={workers} placeholder={t('serviceRecords.anyWorker')} style={{ minWidth: 140 }} data-testid="record-filter-worker" />
          </Form.Item>
          <Form.Item name="method" label={t('serviceRecords.field.method')}>
            <Select
              allowClear
              placeholder={t('serviceRecords.anyMethod')}
              style={{ minWidth: 120 }}
              options={METHODS.map((m) => ({ value: m, label: t(`serviceRecords.method.${m}`) }))}
              data-testid="record-filter-method"
            />
          </Form.Item>
          <Form.Item name="range" label={t('serviceRecords.dateRange')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} inputReadOnly />
          </Form.Item>
          <Form.Item name="followUp" valuePropName="checked">
            <Checkbox data-testid="record-filter-follow-up">{t('serviceRecords.onlyFollowUp')}</Checkbox>
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="record-filter-submit">
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button onClick={() => setParams(new URLSearchParams())}>{t('common.reset')}</Button>
          </Form.Item>
        </Form>
      )}
      {isApiError(list.error) && Object.keys(list.error.fields).length > 0 ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          data-testid="records-bad-filter"
          title={t('serviceRecords.badFilter', {
            fields: Object.entries(list.error.fields)
              .map(([f, msg]) => `${t(`serviceRecords.field.${FILTER_FIELD[f] ?? 'source'}`)}${msg ? t('serviceRecords.paren', { text: msg }) : ''}`)
              .join('、'),
          })}
          action={<Button onClick={() => setParams(new URLSearchParams())}>{t('serviceRecords.clearFilters')}</Button>}
        />
      ) : (
        <ErrorAlert error={list.error} />
      )}
      {filters.activity && !list.error && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="records-activity"
          title={t('serviceRecords.activityView', { n: list.items[0]?.participants ?? list.items.length })}
          action={<Button onClick={() => setParams(new URLSearchParams())}>{t('serviceRecords.clearFilters')}</Button>}
        />
      )}
      <ResponsiveTable
        testId="records-table"
        rows={list.items}
        rowKey={(r) => r.id}
        columns={columns(t)}
        loading={list.isLoading}
        cardTitle={(r) => (
          <span>
            <Link to={`/residents/${r.resident.id}`}>{r.resident.name}</Link>{' '}
            <span className="xq-muted" style={{ fontWeight: 'normal' }}>
              {formatDate(r.start, i18n.language)}
            </span>
          </span>
        )}
        empty={
          list.error ? null : filtered ? (
            <Empty description={t('serviceRecords.emptyFiltered')} data-testid="records-empty">
              <Button onClick={() => setParams(new URLSearchParams())}>{t('serviceRecords.clearFilters')}</Button>
            </Empty>
          ) : (
            <Empty description={t('serviceRecords.empty')} data-testid="records-empty">
              {canWrite && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                  {t('serviceRecords.create')}
                </Button>
              )}
            </Empty>
          )
        }
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      {adding && <ManualRecordDrawer onClose={() => setAdding(false)} defaultResident={filters.residentId ? { id: filters.residentId, name: pickedResident.data?.name } : undefined} />}
    </div>
  );
}
