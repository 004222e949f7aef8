import { Button, Checkbox, Empty, Select, Skeleton, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile } from '../../components/useIsMobile';
import { AREAS, BOARD, URGENCIES, useRequests, type RequestStatus, type ServiceArea, type Urgency } from './api';
import { areaName } from './bits';
import { RequestCard } from './RequestCard';

/**
 * 需求分派: columns 待分派 · 已分派 · 处理中 · 已完成 on a desktop, one column with status tabs on a
 * phone. Filters (urgency, area, status tab) live in the URL.
 */
export function Board() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const urgency = (URGENCIES as readonly string[]).includes(params.get('urgency') ?? '') ? (params.get('urgency') as Urgency) : undefined;
  const area = (AREAS as readonly string[]).includes(params.get('area') ?? '') ? (params.get('area') as ServiceArea) : undefined;
  const me = useUser().id;
  const assigneeId = params.get('mine') === '1' ? me : undefined;
  const tab = (BOARD as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as RequestStatus) : 'open';
  const set = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };

  return (
    <div className="xq-page" data-testid="requests-board">
      <PageHeader
        title={t('requests.title')}
        sub={t('requests.sub')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/requests/new')} data-testid="request-new">
            {t('requests.newButton')}
          </Button>
        }
      />
      <div className="xq-req-filters">
        <Select allowClear value={urgency} onChange={(v?: string) => set('urgency', v)} placeholder={t('requests.field.urgency')} options={URGENCIES.map((u) => ({ value: u, label: t(`requests.urgency.${u}`) }))} data-testid="filter-urgency" />
        <Select allowClear value={area} onChange={(v?: string) => set('area', v)} placeholder={t('requests.field.area')} options={AREAS.map((a) => ({ value: a, label: areaName(t, a) }))} data-testid="filter-area" />
        <Checkbox checked={!!assigneeId} onChange={(e) => set('mine', e.target.checked ? '1' : undefined)} data-testid="filter-mine">
          {t('requests.board.mine')}
        </Checkbox>
      </div>
      {mobile ? (
        <>
          <Tabs activeKey={tab} onChange={(k) => set('status', k)} items={BOARD.map((s) => ({ key: s, label: <span data-testid={`board-tab-${s}`}>{t(`requests.status.${s}`)}</span> }))} />
          <Column status={tab} urgency={urgency} area={area} assigneeId={assigneeId} />
        </>
      ) : (
        <div className="xq-req-board">
          {BOARD.map((s) => (
            <section key={s} className="xq-req-column" data-testid={`board-column-${s}`} aria-label={t(`requests.status.${s}`)}>
              <h3 className="xq-req-column-title">{t(`requests.status.${s}`)}</h3>
              <Column status={s} urgency={urgency} area={area} assigneeId={assigneeId} />
            </section>
          ))}
        </div>
      )}
    </div>
  );
}

function Column({ status, urgency, area, assigneeId }: { status: RequestStatus; urgency?: Urgency | undefined; area?: ServiceArea | undefined; assigneeId?: string | undefined }) {
  const { t } = useTranslation();
  const list = useRequests({ status, urgency, area, assigneeId });
  if (list.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  // Done work matters newest first, and only lately: the last 20 fulfilled (the ledger keeps them all).
  const rows = status === 'fulfilled' ? [...(list.data ?? [])].sort((a, b) => (b.fulfilledAt ?? '').localeCompare(a.fulfilledAt ?? '')).slice(0, 20) : (list.data ?? []);
  return (
    <div className="xq-req-list" data-testid={`board-list-${status}`}>
      <ErrorAlert error={list.error} />
      {rows.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('requests.board.empty')} /> : rows.map((r) => <RequestCard key={r.id} r={r} />)}
    </div>
  );
}
