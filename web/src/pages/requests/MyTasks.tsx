import { Empty, Segmented, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useRequests } from './api';
import { RequestCard } from './RequestCard';

/** 我的任务: the requests the station gave this volunteer; open a task to start and fulfil it. */
export function MyTasks() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const done = params.get('show') === 'done';
  const list = useRequests({});
  const items = (list.data ?? []).filter((r) => (done ? r.status === 'fulfilled' || r.status === 'cancelled' : r.status === 'assigned' || r.status === 'in_progress'));
  return (
    <div className="xq-page xq-resident-page" data-testid="requests-tasks">
      <PageHeader title={t('requests.tasks.title')} sub={t('requests.tasks.sub')} />
      <Segmented
        block
        value={done ? 'done' : 'todo'}
        onChange={(v) => setParams(v === 'done' ? new URLSearchParams({ show: 'done' }) : new URLSearchParams(), { replace: true })}
        options={[
          { value: 'todo', label: `${t('requests.status.assigned')} / ${t('requests.status.in_progress')}` },
          { value: 'done', label: t('requests.status.fulfilled') },
        ]}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : items.length === 0 ? (
        <Empty description={t('requests.tasks.empty')} data-testid="tasks-empty" />
      ) : (
        <div className="xq-req-list">
          {items.map((r) => (
            <RequestCard key={r.id} r={r} showStatus />
          ))}
        </div>
      )}
    </div>
  );
}
