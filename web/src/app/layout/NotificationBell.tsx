import { useQuery } from '@tanstack/react-query';
import { Badge, Button } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from '../../components/useIsMobile';
import { fetchUnread, UNREAD_KEY } from '../../pages/notifications/api';
import { NotificationDrawer } from '../../pages/notifications/NotificationDrawer';

/** Polling stops after this long without input, so the bell never keeps an unattended session alive. */
const IDLE_AFTER_MS = 2 * 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** True while someone has used the page in the last IDLE_AFTER_MS. */
function useRecentlyActive(): boolean {
  const [active, setActive] = useState(true);
  useEffect(() => {
    let timer = window.setTimeout(() => setActive(false), IDLE_AFTER_MS);
    const onActivity = () => {
      window.clearTimeout(timer);
      setActive(true);
      timer = window.setTimeout(() => setActive(false), IDLE_AFTER_MS);
    };
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, onActivity);
    };
  }, []);
  return active;
}

/**
 * The bell in the header: the unread count is polled every 30 s while the tab is visible and the
 * user is active (every API call renews the session's idle timer, so a poll on an unattended screen
 * would keep it signed in for ever).
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const active = useRecentlyActive();
  const mobile = useIsMobile();
  const [open, setOpen] = useState(false);
  const unread = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: ({ signal }) => fetchUnread(signal),
    refetchInterval: active ? 30_000 : false,
    // TanStack Query stops interval refetches while the document is hidden and refetches on focus.
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
  const count = unread.data?.count ?? 0;
  return (
    <>
      <Button
        type="text"
        onClick={() => setOpen(true)}
        aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
        data-testid="notification-bell"
        // On a phone the header is full (elder mode makes every control 60 px): 44 px wide still
        // meets the touch-target size and keeps the header within 375 px.
        style={mobile ? { width: 44, minWidth: 44, paddingInline: 0 } : undefined}
        icon={
          <Badge count={count} size="small" overflowCount={99} data-testid="notification-badge">
            <BellOutlined style={{ fontSize: '1.15em' }} />
          </Badge>
        }
      />
      <NotificationDrawer open={open} onClose={() => setOpen(false)} />
    </>
  );
}
