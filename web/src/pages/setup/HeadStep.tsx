import { Form, Input } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { mustMatchRule, passwordPolicyRule } from '../../components/passwordRules';
import type { SetupValues } from './setupTypes';

/** The station head's account (the first login of the new station). */
export function HeadStep({ form }: { form: FormInstance<SetupValues> }) {
  const { t } = useTranslation();
  const username = Form.useWatch('username', form) ?? '';
  const password = Form.useWatch('password', form) ?? '';
  return (
    <>
      <p className="xq-muted">{t('setup.headHint')}</p>
      <Form.Item
        name="username"
        label={t('users.username')}
        rules={[{ required: true }, { pattern: /^[a-zA-Z0-9_.-]{3,32}$/, message: t('users.usernameRule') }]}
      >
        <Input autoComplete="username" autoCapitalize="none" data-testid="setup-username" />
      </Form.Item>
      <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true }]}>
        <Input autoComplete="name" data-testid="setup-display-name" />
      </Form.Item>
      <Form.Item
        name="password"
        dependencies={['username']}
        label={t('password.new')}
        rules={[{ required: true }, passwordPolicyRule(t('password.notMet'), () => form.getFieldValue('username') ?? '')]}
        extra={<PasswordChecklist password={password} username={username} />}
      >
        <Input.Password autoComplete="new-password" data-testid="setup-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['password']}
        rules={[
          { required: true },
          mustMatchRule('password', t('password.mismatch')),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="setup-confirm" />
      </Form.Item>
    </>
  );
}
