import { App, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { safeNext } from '../../app/paths';
import { FocusLayout } from '../../components/FocusLayout';
import { PageHeader } from '../../components/PageHeader';
import { ChangePasswordForm } from './ChangePasswordForm';
import { LogoutLink } from './LogoutLink';

/** /account/password inside the shell. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { refresh } = useAuth();
  return (
    <div className="xq-page">
      <PageHeader title={t('account.changePassword')} sub={t('password.otherSessionsEnd')} />
      <Card style={{ maxWidth: 520 }}>
        <ChangePasswordForm
          onDone={() => {
            void message.success(t('password.changed'));
            void refresh();
          }}
        />
      </Card>
    </div>
  );
}

/** /change-password: forced before anything else when `mustChangePassword`. */
export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { user, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (user && !user.mustChangePassword) return <Navigate to={next} replace />;
  return (
    <FocusLayout actions={<LogoutLink />}>
      <h2 className="xq-focus-title">{t('password.forcedTitle')}</h2>
      <p className="xq-muted">{t('password.forcedHint')}</p>
      <ChangePasswordForm
        onDone={() => {
          void refresh().then(() => navigate(next, { replace: true }));
        }}
      />
    </FocusLayout>
  );
}
