import { Button, Descriptions, Empty, Skeleton, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { Time } from '../../components/Time';
import { PRIVACY_KEYS, type RecordOfProcessing, type StationRecordView } from './api';

type DataRow = StationRecordView['dataCategories'][number];
type PurposeRow = StationRecordView['purposes'][number];

function StationSection({ s, generatedAt }: { s: StationRecordView; generatedAt: string }) {
  const { t } = useTranslation();
  const r = s.residents;
  return (
    <section className="xq-record-station" data-testid={`record-station-${s.station.id}`}>
      <Typography.Title level={4}>{s.station.name}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('privacy.record.controller')}>{t('privacy.record.countyOf', { station: s.controller.name, county: s.controller.countyName })}</Descriptions.Item>
        <Descriptions.Item label={t('privacy.record.processor')}>{s.processor ? s.processor.name : t('privacy.record.noProcessor')}</Descriptions.Item>
        <Descriptions.Item label={t('privacy.record.counts')}>
          <span data-testid="record-counts">
            {t('privacy.record.total')} {r.total} · {t('privacy.record.active')} {r.active} · {t('privacy.record.moved')} {r.moved} · {t('privacy.record.deceased')} {r.deceased} ·{' '}
            {t('privacy.record.anonymised')} {r.anonymised} · {t('privacy.record.minors')} {r.minors}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('privacy.record.deletion')}>
          {t('privacy.record.open')} {s.deletionRequests.open} · {t('privacy.record.executed')} {s.deletionRequests.executed} · {t('privacy.record.rejected')} {s.deletionRequests.rejected}
        </Descriptions.Item>
        <Descriptions.Item label={t('privacy.record.retention')} span={2}>
          {t('privacy.record.retentionRule', { years: s.retention.years, due: s.retention.dueForReview })}
        </Descriptions.Item>
        <Descriptions.Item label={t('privacy.record.generatedAt')} span={2}>
          <Time value={generatedAt} />
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>{t('privacy.record.dataCategories')}</Typography.Title>
      <ResponsiveTable<DataRow>
        rows={s.dataCategories}
        rowKey={(d) => d.id}
        loading={false}
        empty={null}
        cardTitle={(d) => t(`privacy.dataCategory.${d.id}`)}
        columns={[
          { key: 'cat', title: t('privacy.record.dataCategories'), hideOnCard: true, render: (d) => t(`privacy.dataCategory.${d.id}`) },
          { key: 'fields', title: t('privacy.record.fields'), render: (d) => d.fields.map((f) => t(`privacy.field.${f}`)).join('、') },
          { key: 'sensitive', title: t('privacy.record.sensitive'), render: (d) => (d.sensitive ? <Tag color="orange">{t('privacy.record.yes')}</Tag> : t('privacy.record.no')) },
          { key: 'n', title: t('privacy.record.residents'), render: (d) => d.residents },
        ]}
      />

      <Typography.Title level={5}>{t('privacy.record.purposes')}</Typography.Title>
      <ResponsiveTable<PurposeRow>
        rows={s.purposes}
        rowKey={(p) => p.purpose}
        loading={false}
        empty={null}
        cardTitle={(p) => t(`privacy.purpose.${p.purpose}`)}
        columns={[
          { key: 'purpose', title: t('privacy.access.f.purpose'), hideOnCard: true, render: (p) => t(`privacy.purpose.${p.purpose}`) },
          { key: 'standing', title: t('privacy.record.standing'), render: (p) => p.standing },
          { key: 'withdrawn', title: t('privacy.record.withdrawn'), render: (p) => p.withdrawn },
        ]}
      />

      <Typography.Title level={5}>{t('privacy.record.lawfulBases')}</Typography.Title>
      <div className="xq-record-tags" data-testid="record-bases">
        {s.lawfulBases.map((b) => (
          <Tag key={b.basis}>
            {t(`privacy.basis.${b.basis}`)} {b.residents}
          </Tag>
        ))}
      </div>

      <Typography.Title level={5}>{t('privacy.record.categories')}</Typography.Title>
      <div className="xq-record-tags">
        {s.categories.map((c) => (
          <Tag key={c.category} color={c.residents > 0 ? 'blue' : undefined}>
            {t(`privacy.category.${c.category}`)} {c.residents}
          </Tag>
        ))}
      </div>

      <Typography.Title level={5}>{t('privacy.record.recipients')}</Typography.Title>
      <ul className="xq-record-list">
        {s.recipients.map((x) => (
          <li key={x.kind}>{t(`privacy.recipient.${x.kind}`, { name: x.name ?? '', n: x.residents ?? 0 })}</li>
        ))}
      </ul>

      <Typography.Title level={5}>{t('privacy.record.security')}</Typography.Title>
      <ul className="xq-record-list">
        {s.securityMeasures.map((m) => (
          <li key={m}>{t(`privacy.measure.${m}`)}</li>
        ))}
      </ul>
    </section>
  );
}

/** 个人信息处理活动记录, printable on A4. */
export function RecordTab() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: [...PRIVACY_KEYS.record], queryFn: ({ signal }) => apiGet<RecordOfProcessing>('/api/privacy/record-of-processing', undefined, signal) });
  if (q.isPending) return <Skeleton active />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const rec = q.data;
  return (
    <div className="xq-record" data-testid="privacy-record">
      <div className="xq-record-head">
        <div>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('privacy.record.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('privacy.record.basis')}</Typography.Paragraph>
        </div>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="record-print">
          {t('privacy.record.print')}
        </Button>
      </div>
      {rec.stations.length === 0 ? <Empty description={t('privacy.record.empty')} /> : rec.stations.map((s) => <StationSection key={s.station.id} s={s} generatedAt={rec.generatedAt} />)}
    </div>
  );
}
