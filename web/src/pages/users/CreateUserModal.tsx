import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api/client';
import type { Role, RoleGrant } from '../../api/types';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { passwordPolicyRule } from '../../components/passwordRules';
import { grantableRoles, scopeOf } from './roleOptions';
import { useStationOptions } from './useStationOptions';

/** Server field names → form fields (one role per new user here). */
const FIELD_MAP: Record<string, string> = {
  roles: 'role',
  'roles.0': 'role',
  'roles.0.role': 'role',
  'roles.0.stationId': 'stationId',
  'roles.0.countyId': 'countyId',
};

interface Values {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  stationId?: string;
  countyId?: string;
}

export function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useUser();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const role = Form.useWatch('role', form);
  const username = Form.useWatch('username', form) ?? '';
  const password = Form.useWatch('password', form) ?? '';
  const { stations, counties, loading } = useStationOptions();
  const scope = scopeOf(role);

  const create = useMutation({
    mutationFn: (v: Values) => {
      const grant: Partial<RoleGrant> = { role: v.role };
      if (scope === 'station') grant.stationId = v.stationId;
      if (scope === 'county') grant.countyId = v.countyId;
      return apiPost('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        password: v.password,
        roles: [grant],
      });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void message.success(t('users.created'));
      form.resetFields();
      setError(null);
      onClose();
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e, FIELD_MAP);
    },
  });

  return (
    <Modal
      open={open}
      title={t('users.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'user-create-submit' }}
    >
      <ErrorAlert error={error} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ role: 'social_worker', stationId: stations[0]?.value }}
        onFinish={(v) => create.mutate(v)}
        data-testid="user-create-form"
      >
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true }, { pattern: /^[a-zA-Z0-9_.-]{3,32}$/, message: t('users.usernameRule') }]}>
          <Input autoComplete="off" autoCapitalize="none" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" dependencies={['username']} label={t('users.initialPassword')} rules={[{ required: true }, passwordPolicyRule(t('password.notMet'), () => form.getFieldValue('username') ?? '')]} extra={<PasswordChecklist password={password} username={username} />}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={grantableRoles(me).map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        {scope === 'station' && (
          <Form.Item name="stationId" label={t('users.station')} rules={[{ required: true }]}>
            <Select options={stations} loading={loading} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        )}
        {scope === 'county' && (
          <Form.Item name="countyId" label={t('users.county')} rules={[{ required: true }]}>
            <Select options={counties} loading={loading} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
