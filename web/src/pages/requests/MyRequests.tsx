import { Alert, Button, Card, Empty, Skeleton, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Time } from '../../components/Time';
import { useRequests, type ServiceRequest } from './api';
import { RequestSteps, StatusTag, UrgencyTag, areaName } from './bits';

/** 我的需求: each need with its progress steps; a big button to ask for help. */
export function MyRequests() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const list = useRequests({});
  const all = [...(list.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const several = new Set(all.map((r) => r.resident.id)).size > 1;
  return (
    <div className="xq-page xq-resident-page" data-testid="requests-mine">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('requests.mine.title')}
      </Typography.Title>
      {params.get('sent') && (
        <Alert type="success" showIcon closable={{ onClose: () => setParams(new URLSearchParams(), { replace: true }) }} title={t('requests.raise.sent')} style={{ marginBottom: 16 }} data-testid="raised-alert" />
      )}
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={() => navigate('/requests/new')} className="xq-big-button" data-testid="raise-start">
        {t('requests.mine.raise')}
      </Button>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : all.length === 0 ? (
        <Empty description={t('requests.mine.empty')} data-testid="mine-empty" />
      ) : (
        <div className="xq-req-mine-list">
          {all.map((r) => (
            <MyCard key={r.id} r={r} showWho={several} />
          ))}
        </div>
      )}
    </div>
  );
}

function MyCard({ r, showWho }: { r: ServiceRequest; showWho: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card className="xq-req-mine" data-testid="my-request" data-id={r.id} data-status={r.status} onClick={() => navigate(`/requests/${r.id}`)} hoverable>
      <div className="xq-req-card-head">
        <strong className="xq-req-mine-title">{r.title}</strong>
        <StatusTag status={r.status} />
      </div>
      <div className="xq-muted">
        {areaName(t, r.area)} · <Time value={r.createdAt} relative />
        {showWho && ` · ${t('requests.mine.forWhom', { name: r.resident.name })}`}
      </div>
      {r.urgency === 'urgent' || r.urgency === 'high' ? (
        <div style={{ marginTop: 4 }}>
          <UrgencyTag urgency={r.urgency} />
        </div>
      ) : null}
      {r.status !== 'cancelled' && (
        <div className="xq-req-mine-steps">
          <RequestSteps request={r} small />
        </div>
      )}
      {r.assignee && r.status !== 'cancelled' && <div className="xq-muted">{t('requests.mine.handledBy', { name: r.assignee.name })}</div>}
      {r.outcome && <div className="xq-req-outcome">{r.outcome}</div>}
    </Card>
  );
}
