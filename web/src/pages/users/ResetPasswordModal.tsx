import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api/client';
import type { ManagedUser } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { passwordPolicyRule } from '../../components/passwordRules';

/** Sets a temporary password; the user must change it at next login. */
export function ResetPasswordModal({ target, onClose }: { target: ManagedUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<unknown>(null);
  const password = Form.useWatch('password', form) ?? '';

  const reset = useMutation({
    mutationFn: (v: { password: string }) => apiPost<void>(`/api/users/${encodeURIComponent(target?.id ?? '')}/reset-password`, v),
    onSuccess: () => {
      void message.success(t('users.resetDone', { name: target?.displayName ?? '' }));
      setError(null);
      onClose();
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e);
    },
  });

  return (
    <Modal
      open={target !== null}
      title={t('users.resetTitle', { name: target?.displayName ?? '' })}
      okText={t('users.resetOk')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <p>{t('users.resetHint')}</p>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v)}>
        <Form.Item
          name="password"
          label={t('users.tempPassword')}
          rules={[{ required: true }, passwordPolicyRule(t('password.notMet'), () => target?.username ?? '')]}
          extra={<PasswordChecklist password={password} username={target?.username ?? ''} />}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-password-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
