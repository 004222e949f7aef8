import type { ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { apiGet } from '../api/client';
import type { SetupStatus } from '../api/types';
import { errorText } from '../components/errors';
import { useAuth } from './auth';
import { loginPath, withNext } from './paths';

export const SETUP_STATUS_KEY = ['setup', 'status'] as const;

export function FullPageSpin() {
  return (
    <div className="xq-fullpage" aria-busy="true">
      <Spin size="large" />
    </div>
  );
}

function LoadFailed({ error, retry }: { error: unknown; retry: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="xq-fullpage">
      <Result
        status="warning"
        title={t('errors.loadFailed')}
        subTitle={errorText(error, t, i18n.language)}
        extra={
          <Button type="primary" onClick={retry}>
            {t('common.retry')}
          </Button>
        }
      />
    </div>
  );
}

/** First run: until a station exists every page leads to the setup wizard. */
export function SetupGate() {
  const { pathname } = useLocation();
  const q = useQuery({
    queryKey: SETUP_STATUS_KEY,
    queryFn: ({ signal }) => apiGet<SetupStatus>('/api/setup/status', undefined, signal),
    staleTime: Infinity,
    retry: 1,
  });
  if (q.isPending) return <FullPageSpin />;
  if (q.isError) return <LoadFailed error={q.error} retry={() => void q.refetch()} />;
  const onSetup = pathname === '/setup';
  if (q.data.needsSetup && !onSetup) return <Navigate to="/setup" replace />;
  if (!q.data.needsSetup && onSetup) return <Navigate to="/login" replace />;
  return <Outlet />;
}

/** Logged-in area; also enforces the forced password change and TOTP setup. */
export function RequireAuth() {
  const { status, user, meError, refresh } = useAuth();
  const { pathname, search } = useLocation();
  const here = pathname + search;
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') return <LoadFailed error={meError} retry={() => void refresh()} />;
  if (!user) return <Navigate to={loginPath(here)} replace />;
  if (user.mustChangePassword && pathname !== '/change-password') {
    return <Navigate to={withNext('/change-password', here)} replace />;
  }
  if (!user.mustChangePassword && user.totpSetupRequired && pathname !== '/totp-setup') {
    return <Navigate to={withNext('/totp-setup', here)} replace />;
  }
  return <Outlet />;
}

/** Shows a 403 result when the user's modules do not include this page. */
export function RequireModule({ module, children }: { module: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  if (!user?.modules.includes(module)) {
    return <Result status="403" title={t('errors.noAccessTitle')} subTitle={t('errors.noAccess')} />;
  }
  return <>{children}</>;
}
