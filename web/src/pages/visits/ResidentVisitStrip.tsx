import { Button, Card, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import type { Page } from '../../api/types';
import { useUser } from '../../app/auth';
import { formatDate } from '../../components/format';
import { Time } from '../../components/Time';
import type { DueRowView } from './api';
import { DueTag } from './DuePage';

const STAFF = new Set(['social_worker', 'station_head']);

/** The resident page's 走访 strip: when the next visit is due, the last one, and the two actions. */
export function ResidentVisitStrip({ residentId }: { residentId: string }) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const staff = user.roles.some((r) => STAFF.has(r.role));
  const q = useQuery({
    queryKey: ['visits', 'due', 'resident', residentId],
    queryFn: ({ signal }) => apiGet<Page<DueRowView>>('/api/visits/due', { residentId, limit: 1 }, signal),
    enabled: staff,
  });
  const row = q.data?.items[0];
  if (!staff || !row) return null;
  return (
    <Card size="small" style={{ marginTop: 16 }} data-testid="resident-visits">
      <Space wrap size={[12, 4]} style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap size={[8, 4]}>
          <Typography.Text strong>{t('visits.residentSection.title')}</Typography.Text>
          <span>
            {t('visits.residentSection.next')} {formatDate(`${row.dueOn}T12:00:00+08:00`, i18n.language)}
          </span>
          <DueTag days={row.daysOverdue} />
          <Typography.Text type="secondary">
            {t('visits.field.lastVisit')} {row.lastVisitAt ? <Time value={row.lastVisitAt} relative /> : t('visits.never')}
            {row.lastVisitBy && ` · ${row.lastVisitBy.name}`}
          </Typography.Text>
        </Space>
        <Space wrap>
          <Link to={`/visits/history?residentId=${residentId}`}>
            <Button size="small">{t('visits.residentSection.history')}</Button>
          </Link>
          <Link to={`/visits/new?residentId=${residentId}`}>
            <Button size="small" type="primary" data-testid="resident-visit-record">
              {t('visits.residentSection.record')}
            </Button>
          </Link>
        </Space>
      </Space>
    </Card>
  );
}
