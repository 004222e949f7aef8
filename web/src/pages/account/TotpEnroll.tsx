import { useEffect, useRef, useState } from 'react';
import { Button, Form, Input, Skeleton, Steps, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api/client';
import type { TotpSetup, User } from '../../api/types';
import { useAuth } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { groupInFours } from '../../components/format';
import { QrImage } from '../../components/QrImage';

/** Starts TOTP setup, shows the key for manual entry (no QR), then confirms with a code. */
export function TotpEnroll({ onDone }: { onDone: (user: User) => void }) {
  const { t } = useTranslation();
  const { setUser } = useAuth();
  const [attempt, setAttempt] = useState(0);
  const [enableError, setEnableError] = useState<unknown>(null);
  const started = useRef(false);

  const setup = useMutation({ mutationFn: () => apiPost<TotpSetup>('/api/auth/totp/setup') });
  const enable = useMutation({
    mutationFn: (otp: string) => apiPost<{ user: User }>('/api/auth/totp/enable', { otp }),
    onSuccess: (res) => {
      setUser(res.user);
      onDone(res.user);
    },
    onError: (e) => {
      setEnableError(e);
      setAttempt((n) => n + 1);
    },
  });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    setup.mutate();
  }, [setup]);

  if (setup.isError) {
    return (
      <>
        <ErrorAlert error={setup.error} />
        <Button onClick={() => setup.mutate()}>{t('common.retry')}</Button>
      </>
    );
  }
  if (!setup.data) return <Skeleton active />;
  const { secret, otpauthUrl } = setup.data;

  return (
    <Steps
      orientation="vertical"
      current={-1}
      items={[
        { title: t('totp.step1'), content: t('totp.step1Hint') },
        {
          title: t('totp.step2'),
          content: (
            <div className="xq-totp-secret">
              <QrImage text={otpauthUrl} alt={t('totp.qrAlt')} />
              <Typography.Paragraph copyable={{ text: secret }} className="xq-mono xq-secret" data-testid="totp-secret">
                {groupInFours(secret)}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary">{t('totp.manualHint')}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: otpauthUrl }} className="xq-break">
                <a href={otpauthUrl} data-testid="totp-url">
                  {t('totp.openInApp')}
                </a>
              </Typography.Paragraph>
            </div>
          ),
        },
        {
          title: t('totp.step3'),
          content: (
            <>
              <ErrorAlert error={enableError} testId="totp-error" />
              <Form key={attempt} layout="vertical" onFinish={(v) => enable.mutate(v.otp.trim())}>
                <Form.Item name="otp" label={t('login.otp')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.otpFormat') }]}>
                  <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} data-testid="totp-code" style={{ maxWidth: 200 }} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={enable.isPending} data-testid="totp-enable">
                  {t('totp.enable')}
                </Button>
              </Form>
            </>
          ),
        },
      ]}
    />
  );
}
