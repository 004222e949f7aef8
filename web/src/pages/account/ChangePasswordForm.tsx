import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api/client';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { mustMatchRule, passwordPolicyRule } from '../../components/passwordRules';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Current + new + confirm, with the live rule checklist. The server has the final word. */
export function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const newPassword = Form.useWatch('newPassword', form) ?? '';

  const change = useMutation({
    mutationFn: (v: Values) =>
      apiPost<void>('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      form.resetFields();
      setError(null);
      onDone();
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e);
    },
  });

  return (
    <>
      <ErrorAlert error={error} testId="password-error" />
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[{ required: true, message: t('password.newRequired') }, passwordPolicyRule(t('password.notMet'), () => user.username)]}
          extra={<PasswordChecklist password={newPassword} username={user.username} />}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            mustMatchRule('newPassword', t('password.mismatch')),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit" block>
          {t('password.submit')}
        </Button>
      </Form>
    </>
  );
}
