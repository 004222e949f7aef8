import { useRef, useState } from 'react';
import { Alert, Button, Form, Input, Tag } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import type { SetupStatus } from '../../api/types';
import { useAuth } from '../../app/auth';
import { safeNext } from '../../app/paths';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FocusLayout } from '../../components/FocusLayout';

interface Creds {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { status, login, sessionExpired } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const demo = useQueryClient().getQueryData<SetupStatus>(['setup', 'status'])?.demo ?? false;
  const [step, setStep] = useState<'password' | 'otp'>('password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const creds = useRef<Creds>({ username: '', password: '' });
  // Bumped after a wrong code so the code field starts empty again.
  const [otpAttempt, setOtpAttempt] = useState(0);

  if (status === 'authenticated') return <Navigate to={next} replace />;

  async function submit(input: Creds & { otp?: string }) {
    setBusy(true);
    setError(null);
    try {
      await login(input);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.id === 'otp_required') {
        setStep('otp');
      } else {
        if (e instanceof ApiError && e.id === 'otp_invalid') setOtpAttempt((n) => n + 1);
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <FocusLayout>
      {demo && (
        <Tag color="gold" style={{ marginBottom: 12 }}>
          {t('login.demo')}
        </Tag>
      )}
      {sessionExpired && !error && (
        <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} data-testid="login-expired" />
      )}
      <ErrorAlert error={error} testId="login-error" />
      {step === 'password' ? (
        <Form<Creds>
          layout="vertical"
          requiredMark={false}
          initialValues={creds.current}
          onFinish={(v) => {
            creds.current = { username: v.username.trim(), password: v.password };
            void submit(creds.current);
          }}
        >
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" spellCheck={false} data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      ) : (
        <Form<{ otp: string }>
          key={otpAttempt}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void submit({ ...creds.current, otp: v.otp.trim() })}
        >
          <p>{t('login.otpHint')}</p>
          <Form.Item
            name="otp"
            label={t('login.otp')}
            rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.otpFormat') }]}
          >
            <Input
              prefix={<SafetyOutlined />}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              autoFocus
              data-testid="login-otp"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.verify')}
          </Button>
          <Button
            type="link"
            block
            onClick={() => {
              setStep('password');
              setError(null);
            }}
          >
            {t('login.back')}
          </Button>
        </Form>
      )}
      {/* The public FAQ needs no account: residents may find their answer before signing in. */}
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/faq" data-testid="login-faq">
          {t('consultations.faq.title')}
        </Link>
      </div>
    </FocusLayout>
  );
}
