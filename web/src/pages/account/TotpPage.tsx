import { useState } from 'react';
import { App, Button, Card, Form, Input, Result, Tag } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { apiPost } from '../../api/client';
import type { User } from '../../api/types';
import { useAuth, useUser } from '../../app/auth';
import { safeNext } from '../../app/paths';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { FocusLayout } from '../../components/FocusLayout';
import { PageHeader } from '../../components/PageHeader';
import { LogoutLink } from './LogoutLink';
import { TotpEnroll } from './TotpEnroll';

function DisableTotp() {
  const { t } = useTranslation();
  const { setUser } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<unknown>(null);
  const disable = useMutation({
    mutationFn: (password: string) => apiPost<{ user: User }>('/api/auth/totp/disable', { password }),
    onSuccess: (res) => {
      setUser(res.user);
      void message.success(t('totp.disabled'));
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e);
    },
  });
  return (
    <>
      <ErrorAlert error={error} testId="totp-error" />
      <Form form={form} layout="vertical" onFinish={(v) => disable.mutate(v.password)} style={{ maxWidth: 360 }}>
        <Form.Item name="password" label={t('totp.passwordToDisable')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="totp-disable-password" />
        </Form.Item>
        <Button danger htmlType="submit" loading={disable.isPending} data-testid="totp-disable">
          {t('totp.disable')}
        </Button>
      </Form>
    </>
  );
}

/** /account/totp: turn two-step verification on or off. */
export function TotpPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { message } = App.useApp();
  const [enrolling, setEnrolling] = useState(false);
  return (
    <div className="xq-page">
      <PageHeader
        title={t('account.totp')}
        sub={t('totp.sub')}
        extra={user.totpEnabled ? <Tag color="green">{t('totp.on')}</Tag> : <Tag>{t('totp.off')}</Tag>}
      />
      <Card style={{ maxWidth: 640 }}>
        {user.totpEnabled ? (
          <DisableTotp />
        ) : enrolling ? (
          <TotpEnroll
            onDone={() => {
              setEnrolling(false);
              void message.success(t('totp.enabled'));
            }}
          />
        ) : (
          <Result
            status="info"
            title={t('totp.offTitle')}
            extra={
              <Button type="primary" onClick={() => setEnrolling(true)} data-testid="totp-start">
                {t('totp.start')}
              </Button>
            }
          />
        )}
      </Card>
    </div>
  );
}

/** /totp-setup: forced for privileged roles without a second factor. */
export function ForcedTotpPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (user && !user.totpSetupRequired) return <Navigate to={next} replace />;
  return (
    <FocusLayout width={560} actions={<LogoutLink />}>
      <h2 className="xq-focus-title">{t('totp.forcedTitle')}</h2>
      <p className="xq-muted">{t('totp.forcedHint')}</p>
      <TotpEnroll onDone={() => navigate(next, { replace: true })} />
    </FocusLayout>
  );
}
