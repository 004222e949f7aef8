import { useState } from 'react';
import { Alert, App, Button, Card, Input, Radio, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { buildUrl } from '../../../api/client';
import { useUser } from '../../../app/auth';
import { useCurrentStation } from '../../../app/station';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useVillages } from '../components/api';
import { filtersToSearch, readFilters, toApiQuery } from '../components/residentParams';
import { download } from './rosterApi';

/** Export the list as filtered on the resident page (the filters travel in the URL), masked or in clear. */
export function ExportPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const station = useCurrentStation(user);
  const villages = useVillages(station?.id);
  const [params] = useSearchParams();
  const filters = readFilters(params);
  const [clear, setClear] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [truncated, setTruncated] = useState(false);
  const reasonOk = reason.trim().length >= 2;

  const tags: string[] = [];
  if (filters.q) tags.push(t('roster.export.search', { q: filters.q }));
  if (filters.villageId) tags.push(villages.data?.find((v) => v.id === filters.villageId)?.name ?? t('residents.col.village'));
  if (filters.category) tags.push(t(`residents.category.${filters.category}`));
  if (filters.riskTier) tags.push(t(`residents.risk.${filters.riskTier}`));
  if (filters.status) tags.push(t(`residents.status.${filters.status}`));
  if (filters.ageMin || filters.ageMax) tags.push(t('roster.export.ageRange', { min: filters.ageMin ?? 0, max: filters.ageMax ?? '∞' }));

  async function run() {
    setError(null);
    setBusy(true);
    try {
      const stationId = user.stations.length > 1 ? station?.id : undefined;
      const url = buildUrl('/api/residents/export', { ...toApiQuery(filters, stationId), format: 'xlsx', reveal: clear ? 'true' : undefined, reason: clear ? reason.trim() : undefined });
      const headers = await download(url, 'residents-export.xlsx');
      setTruncated(headers.get('x-export-truncated') === '1');
      message.success(t('roster.export.done', { rows: headers.get('x-export-rows') ?? '0' }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="export-panel">
      <Typography.Paragraph>{t('roster.export.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} testId="export-error" />
      <Card size="small" title={t('roster.export.filters')} extra={<Link to={`/residents?${filtersToSearch(filters)}`}><FilterOutlined /> {t('roster.export.editFilters')}</Link>}>
        {tags.length > 0 ? (
          <Space wrap size={[8, 8]} data-testid="export-filters">
            {tags.map((x) => (
              <Tag key={x}>{x}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('roster.export.noFilters')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('roster.export.mode')}>
        <Radio.Group value={clear ? 'clear' : 'masked'} onChange={(e) => setClear(e.target.value === 'clear')} data-testid="export-mode">
          <Space direction="vertical">
            <Radio value="masked">{t('roster.export.masked')}</Radio>
            <Radio value="clear">{t('roster.export.clear')}</Radio>
          </Space>
        </Radio.Group>
        {clear && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('roster.export.clearHint')}</Typography.Text>
            <Input.TextArea
              aria-label={t('roster.export.reason')}
              placeholder={t('roster.export.reasonPlaceholder')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={200}
              autoSize={{ minRows: 2, maxRows: 4 }}
              status={reason && !reasonOk ? 'error' : undefined}
              style={{ marginTop: 8 }}
              data-testid="export-reason"
            />
            {!reasonOk && <Typography.Text type="secondary">{t('roster.export.reasonRequired')}</Typography.Text>}
          </div>
        )}
      </Card>
      {truncated && <Alert type="warning" showIcon title={t('roster.export.truncated')} />}
      <Button type="primary" icon={<DownloadOutlined />} loading={busy} disabled={clear && !reasonOk} onClick={() => void run()} data-testid="export-download">
        {busy ? t('roster.export.downloading') : t('roster.export.download')}
      </Button>
    </Space>
  );
}
