import { Alert, Button, Card, Descriptions, Image, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RiskTierTag } from '../../components/RiskTierTag';
import { Time } from '../../components/Time';
import { photoUrl, useVisit } from './api';

/** One visit: what was seen, the checklist, flags, photos, and what it led to. */
export function VisitDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const q = useVisit(id);
  const v = q.data;
  if (q.isPending) return <Skeleton active />;
  if (!v) return <ErrorAlert error={q.error} />;
  return (
    <div className="xq-page" data-testid="visit-detail">
      <PageHeader
        title={
          <Space wrap>
            {t('visits.detail.title')}
            <Link to={`/residents/${v.resident.id}`}>{v.resident.name}</Link>
          </Space>
        }
        extra={
          <Space wrap>
            <Link to="/visits">
              <Button>{t('visits.detail.backToList')}</Button>
            </Link>
            <Link to={`/visits/history?residentId=${v.resident.id}`}>
              <Button>{t('visits.history')}</Button>
            </Link>
          </Space>
        }
      />
      {v.tierBefore !== v.tierAfter && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <Space size={4} wrap>
              {t('visits.field.tier')}
              <RiskTierTag tier={v.tierBefore} />→<RiskTierTag tier={v.tierAfter} />
            </Space>
          }
          data-testid="visit-tier-change"
        />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('visits.field.visitedAt')}>
            <Time value={v.visitedAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('visits.field.worker')}>{v.worker.name}</Descriptions.Item>
          <Descriptions.Item label={t('visits.field.mode')}>
            {t(`visits.mode.${v.mode}`)} · {t('visits.minutes', { count: v.durationMinutes })}
          </Descriptions.Item>
          <Descriptions.Item label={t('visits.field.village')}>{v.resident.village.name}</Descriptions.Item>
          <Descriptions.Item label={t('visits.field.flags')}>
            <span className="xq-visit-flags" data-testid="visit-detail-flags">
              {v.riskFlags.length ? v.riskFlags.map((f) => <Tag key={f} color="volcano">{t(`visits.flag.${f}`)}</Tag>) : t('visits.detail.noFlags')}
            </span>
          </Descriptions.Item>
          {v.serviceRecordId && (
            <Descriptions.Item label={t('visits.detail.serviceRecord')}>
              <Link to={`/service-records?residentId=${v.resident.id}`} data-testid="visit-service-record">
                {t('visits.detail.view')}
              </Link>
            </Descriptions.Item>
          )}
          {v.requestId && (
            <Descriptions.Item label={t('visits.detail.request')}>
              <Link to={`/requests/${v.requestId}`}>{t('visits.detail.view')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8, marginBottom: 0 }} data-testid="visit-detail-observations">
          {v.observations}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={t('visits.form.checklist')} style={{ marginBottom: 12 }}>
        <div className="xq-visit-checks">
          {Object.entries(v.checklist).map(([k, c]) => (
            <span key={k} className="xq-visit-check-result">
              {t(`visits.checklist.${k}`)}
              <Tag color={c === 'concern' ? 'orange' : c === 'ok' ? 'green' : 'default'}>{t(`visits.check.${c}`)}</Tag>
            </span>
          ))}
        </div>
      </Card>
      {v.photoIds.length > 0 && (
        <Card size="small" title={t('visits.form.photos')}>
          <Image.PreviewGroup>
            <Space wrap>
              {v.photoIds.map((p) => (
                <Image key={p} src={photoUrl(p)} width={96} height={96} style={{ objectFit: 'cover' }} alt="" />
              ))}
            </Space>
          </Image.PreviewGroup>
        </Card>
      )}
    </div>
  );
}
