import { App, Button, Empty, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiDelete, apiGet } from '../../api/client';
import type { Page, SessionInfo } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText } from '../../components/errors';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import type { Column } from '../../components/ResponsiveTable';
import { Time } from '../../components/Time';
import { describeAgent } from './userAgent';

const KEY = ['auth', 'sessions'];

/** /account/sessions: where I am logged in; end the others. */
export function SessionsPage() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: ({ signal }) => apiGet<Page<SessionInfo>>('/api/auth/sessions', undefined, signal) });
  const end = useMutation({
    mutationFn: (id: string) => apiDelete<void>(`/api/auth/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      void message.success(t('sessions.ended'));
    },
    onError: (e) => void message.error(errorText(e, t, i18n.language)),
  });

  const confirmEnd = (s: SessionInfo) =>
    void modal.confirm({
      title: t('sessions.endConfirm'),
      content: describeAgent(s.userAgent),
      okText: t('sessions.end'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => end.mutateAsync(s.id),
    });

  const columns: Column<SessionInfo>[] = [
    {
      key: 'device',
      title: t('sessions.device'),
      hideOnCard: true,
      render: (s) => (
        <span title={s.userAgent ?? ''}>
          {describeAgent(s.userAgent)} {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
        </span>
      ),
    },
    { key: 'ip', title: t('sessions.ip'), render: (s) => <span className="xq-mono">{s.ip ?? '—'}</span> },
    { key: 'created', title: t('sessions.createdAt'), render: (s) => <Time value={s.createdAt} /> },
    { key: 'seen', title: t('sessions.lastSeen'), render: (s) => <Time value={s.lastSeenAt} relative /> },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (s) =>
        s.current ? (
          <span className="xq-muted">{t('sessions.thisDevice')}</span>
        ) : (
          <Button size="small" danger onClick={() => confirmEnd(s)} data-testid={`session-end-${s.id}`}>
            {t('sessions.end')}
          </Button>
        ),
    },
  ];

  return (
    <div className="xq-page">
      <PageHeader title={t('account.sessions')} sub={t('sessions.sub')} />
      <ErrorAlert error={q.error} />
      <ResponsiveTable
        testId="sessions-table"
        rows={q.data?.items ?? []}
        rowKey={(s) => s.id}
        columns={columns}
        loading={q.isPending}
        cardTitle={(s) => (
          <span>
            {describeAgent(s.userAgent)} {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
          </span>
        )}
        empty={<Empty description={t('sessions.empty')} />}
      />
    </div>
  );
}
