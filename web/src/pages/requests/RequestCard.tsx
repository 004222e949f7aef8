import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Time } from '../../components/Time';
import type { ServiceRequest } from './api';
import { StatusTag, UrgencyTag, areaName } from './bits';

/** One request on the board or in a list: a tap opens it. */
export function RequestCard({ r, showStatus = false }: { r: ServiceRequest; showStatus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card
      size="small"
      hoverable
      className={`xq-req-card urgency-${r.urgency}`}
      onClick={() => navigate(`/requests/${r.id}`)}
      data-testid="request-card"
      data-id={r.id}
      data-status={r.status}
      role="link"
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'Enter') navigate(`/requests/${r.id}`);
      }}
    >
      <div className="xq-req-card-head">
        <strong className="xq-req-card-title">{r.title}</strong>
        <UrgencyTag urgency={r.urgency} />
      </div>
      <div className="xq-muted">
        {r.resident.name} · {r.village.name} · {areaName(t, r.area)}
      </div>
      <div className="xq-req-card-foot">
        <span className="xq-muted">
          <Time value={r.createdAt} relative />
        </span>
        <span>{r.assignee ? r.assignee.name : <span className="xq-muted">{t('requests.unassigned')}</span>}</span>
        {showStatus && <StatusTag status={r.status} />}
      </div>
    </Card>
  );
}
