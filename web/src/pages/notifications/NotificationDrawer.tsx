import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Checkbox, Drawer, Empty, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText } from '../../components/errors';
import { LoadMore } from '../../components/LoadMore';
import { Time } from '../../components/Time';
import {
  fetchPage,
  fetchPrefs,
  markAllRead,
  markRead,
  NOTIFICATIONS_KEY,
  PREFS_KEY,
  savePrefs,
  type ExtraChannel,
  type NotificationItem,
} from './api';

/** The bell's drawer: my notifications newest first, mark read, and which extra channels I want. */
export function NotificationDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'list', unreadOnly],
    queryFn: ({ pageParam, signal }) => fetchPage(unreadOnly, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: open,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const readOne = useMutation({ mutationFn: markRead, onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllRead, onSettled: refresh });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const navigate = useNavigate();

  const openItem = (n: NotificationItem) => {
    if (!n.readAt) readOne.mutate(n.id);
    if (n.link) {
      onClose();
      void navigate(n.link);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      placement="right"
      size="min(440px, 100vw)"
      title={t('notifications.title')}
      data-testid="notification-drawer"
      extra={
        <Button size="small" icon={<CheckOutlined />} onClick={() => readAll.mutate()} loading={readAll.isPending} data-testid="notification-read-all">
          {t('notifications.markAllRead')}
        </Button>
      }
      styles={{ body: { padding: 12 } }}
    >
      <Segmented
        block
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(v) => setUnreadOnly(v === 'unread')}
        options={[
          { value: 'all', label: t('notifications.all') },
          { value: 'unread', label: t('notifications.unreadOnly') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {list.error && <ErrorAlert error={list.error} />}
      {list.isPending && open ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : items.length === 0 ? (
        <Empty description={unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')} />
      ) : (
        <ul className="xq-notification-list" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="notification-list">
          {items.map((n) => (
            <li
              key={n.id}
              data-testid="notification-item"
              data-unread={n.readAt ? undefined : 'true'}
              style={{ padding: '12px 4px', borderBottom: '1px solid rgba(5,5,5,0.06)', background: n.readAt ? undefined : 'rgba(31,111,235,0.04)' }}
            >
              <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong={!n.readAt}>
                    {!n.readAt && <Badge status="processing" style={{ marginInlineEnd: 6 }} aria-label={t('notifications.unread')} />}
                    {n.title}
                  </Typography.Text>
                  <Typography.Paragraph style={{ margin: '4px 0', overflowWrap: 'anywhere' }}>{n.body}</Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: '0.875em' }}>
                    <Time value={n.createdAt} relative />
                  </Typography.Text>
                </div>
              </Space>
              <Space wrap style={{ marginTop: 6 }}>
                {n.link && (
                  <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => openItem(n)} data-testid="notification-open">
                    {t('notifications.open')}
                  </Button>
                )}
                {!n.readAt && (
                  <Button size="small" onClick={() => readOne.mutate(n.id)} data-testid="notification-read">
                    {t('notifications.markRead')}
                  </Button>
                )}
              </Space>
            </li>
          ))}
        </ul>
      )}
      <LoadMore count={items.length} hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} />
      <ChannelPreferences enabled={open} />
    </Drawer>
  );
}

function ChannelPreferences({ enabled }: { enabled: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const prefs = useQuery({ queryKey: PREFS_KEY, queryFn: ({ signal }) => fetchPrefs(signal), enabled });
  const save = useMutation({
    mutationFn: savePrefs,
    onSuccess: (data) => {
      qc.setQueryData(PREFS_KEY, data);
      void message.success(t('notifications.saved'));
    },
    onError: (e) => void message.error(errorText(e, t, i18n.language)),
  });
  if (!prefs.data) return null;
  const chosen = prefs.data.channels;
  const toggle = (c: ExtraChannel, on: boolean) => save.mutate(on ? [...chosen, c] : chosen.filter((x) => x !== c));
  return (
    <section style={{ marginTop: 20 }} aria-labelledby="xq-notification-channels" data-testid="notification-channels">
      <Typography.Title level={5} id="xq-notification-channels">
        {t('notifications.channels')}
      </Typography.Title>
      <Space orientation="vertical">
        <Checkbox checked disabled>
          {t('notifications.inApp')}
        </Checkbox>
        {(['sms', 'wechat'] as const).map((c) => (
          <Checkbox key={c} checked={chosen.includes(c)} disabled={save.isPending} onChange={(e) => toggle(c, e.target.checked)} data-testid={`notification-channel-${c}`}>
            {t(`notifications.${c}`)} {!prefs.data.connected[c] && <Tag color="orange">{t('notifications.notConnected')}</Tag>}
          </Checkbox>
        ))}
      </Space>
      <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('notifications.notConnected')} description={t('notifications.notConnectedHelp')} />
    </section>
  );
}
