import { useState } from 'react';
import { App, Button, Empty, Segmented, Space, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiPost } from '../../api/client';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText } from '../../components/errors';
import { LoadMore } from '../../components/LoadMore';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { Time } from '../../components/Time';
import { PRIVACY_KEYS, type DeletionRequestItem } from './api';
import { ReasonModal } from './ReasonModal';

export type DeletionFilter = 'open' | 'executed' | 'rejected' | 'all';
export const DELETION_FILTERS: readonly DeletionFilter[] = ['open', 'executed', 'rejected', 'all'];

const STATUS_COLOR = { open: 'gold', executed: 'default', rejected: 'red' } as const;
type Approval = DeletionRequestItem['canApproveAs'][number];

function Approvals({ d }: { d: DeletionRequestItem }) {
  const { t } = useTranslation();
  const one = (label: string, a: DeletionRequestItem['headApproval'], testId: string) => (
    <div data-testid={testId}>
      <span className="xq-muted">{label}：</span>
      {a ? (
        <span title={a.at}>
          <Tag color="green">{t('privacy.approvedBy', { name: a.byName })}</Tag>
        </span>
      ) : (
        <Tag>{t('privacy.waiting')}</Tag>
      )}
    </div>
  );
  return (
    <Space direction="vertical" size={2}>
      {one(t('privacy.head'), d.headApproval, `approval-head-${d.id}`)}
      {one(t('privacy.officer'), d.officerApproval, `approval-officer-${d.id}`)}
    </Space>
  );
}

export function DeletionTab({ status, onStatus }: { status: DeletionFilter; onStatus: (s: DeletionFilter) => void }) {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const list = useCursorList<DeletionRequestItem>(PRIVACY_KEYS.deletion, '/api/privacy/deletion-requests', { status: status === 'all' ? undefined : status });
  const [rejecting, setRejecting] = useState<DeletionRequestItem | null>(null);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['privacy'] });
    void qc.invalidateQueries({ queryKey: ['residents'] });
  };

  const approve = (d: DeletionRequestItem, as: Approval) => {
    const roleName = t(as === 'station_head' ? 'privacy.head' : 'privacy.officer');
    const otherName = t(as === 'station_head' ? 'privacy.officer' : 'privacy.head');
    const final = as === 'station_head' ? !!d.officerApproval : !!d.headApproval;
    void modal.confirm({
      title: t('privacy.approveTitle', { name: d.resident.name }),
      content: final ? t('privacy.approveFinal') : t('privacy.approveFirst', { other: otherName }),
      okText: d.canApproveAs.length > 1 ? t('privacy.approveAs', { role: roleName }) : t('privacy.approve'),
      okButtonProps: { danger: final, 'data-testid': 'deletion-approve-confirm' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const res = await apiPost<{ request: DeletionRequestItem }>(`/api/privacy/deletion-requests/${encodeURIComponent(d.id)}/approve`, { as });
          void message.success(res.request.status === 'executed' ? t('privacy.executedToast') : t('privacy.approved'));
        } catch (e) {
          void message.error(errorText(e, t, i18n.language));
        } finally {
          refresh();
        }
      },
    });
  };

  const reject = async (reason: string) => {
    if (!rejecting) return;
    await apiPost(`/api/privacy/deletion-requests/${encodeURIComponent(rejecting.id)}/reject`, { reason });
    void message.success(t('privacy.rejectedToast'));
    refresh();
  };

  const actions = (d: DeletionRequestItem) => {
    if (d.status !== 'open') {
      return d.rejection ? <Typography.Text type="secondary">{t('privacy.rejectedBy', { name: d.rejection.byName, reason: d.rejection.reason })}</Typography.Text> : <Time value={d.executedAt} />;
    }
    return (
      <Space wrap size="small">
        {d.canApproveAs.map((as) => (
          <Button key={as} type="primary" size="small" onClick={() => approve(d, as)} data-testid={`deletion-approve-${d.id}`}>
            {d.canApproveAs.length > 1 ? t('privacy.approveAs', { role: t(as === 'station_head' ? 'privacy.head' : 'privacy.officer') }) : t('privacy.approve')}
          </Button>
        ))}
        {d.canReject && (
          <Button size="small" danger onClick={() => setRejecting(d)} data-testid={`deletion-reject-${d.id}`}>
            {t('privacy.reject')}
          </Button>
        )}
      </Space>
    );
  };

  const columns: Column<DeletionRequestItem>[] = [
    {
      key: 'resident',
      title: t('privacy.col.resident'),
      hideOnCard: true,
      render: (d) => <Link to={`/residents/${d.resident.id}`}>{d.resident.name}</Link>,
    },
    { key: 'village', title: t('privacy.col.village'), render: (d) => d.resident.villageName },
    { key: 'reason', title: t('privacy.col.reason'), render: (d) => <span className="xq-privacy-reason">{d.reason}</span> },
    {
      key: 'requested',
      title: t('privacy.col.requestedBy'),
      render: (d) => (
        <span>
          {d.requestedBy.name} · <Time value={d.requestedAt} relative />
        </span>
      ),
    },
    { key: 'approvals', title: t('privacy.col.approvals'), render: (d) => <Approvals d={d} /> },
    { key: 'status', title: t('privacy.col.status'), render: (d) => <Tag color={STATUS_COLOR[d.status]} data-testid={`deletion-status-${d.id}`}>{t(`privacy.status.${d.status}`)}</Tag> },
    { key: 'actions', title: t('privacy.col.actions'), render: actions },
  ];

  return (
    <div data-testid="privacy-deletion">
      <div className="xq-filters">
        <Segmented<DeletionFilter>
          value={status}
          onChange={onStatus}
          options={DELETION_FILTERS.map((s) => ({ value: s, label: t(`privacy.status.${s}`) }))}
          data-testid="deletion-status-filter"
        />
      </div>
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="deletion-table"
        rows={list.items}
        rowKey={(d) => d.id}
        columns={columns}
        loading={list.isLoading}
        cardTitle={(d) => <Link to={`/residents/${d.resident.id}`}>{d.resident.name}</Link>}
        cardExtra={(d) => <Tag color={STATUS_COLOR[d.status]}>{t(`privacy.status.${d.status}`)}</Tag>}
        empty={<Empty description={status === 'open' ? t('privacy.emptyOpen') : t('privacy.empty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      <ReasonModal
        open={rejecting !== null}
        title={t('privacy.rejectTitle')}
        label={t('privacy.rejectReason')}
        placeholder={t('privacy.rejectReasonHint')}
        okText={t('privacy.reject')}
        danger
        testId="deletion-reject"
        onSubmit={reject}
        onClose={() => setRejecting(null)}
      />
    </div>
  );
}
