import { App, Button, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api/client';
import type { ManagedUser } from '../../api/types';
import { useUser } from '../../app/auth';
import { errorText } from '../../components/errors';

export function UserRowActions({ row, onReset }: { row: ManagedUser; onReset: (u: ManagedUser) => void }) {
  const { t, i18n } = useTranslation();
  const me = useUser();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const action = row.locked ? 'unlock' : 'lock';

  const toggle = useMutation({
    mutationFn: () => apiPost<void>(`/api/users/${encodeURIComponent(row.id)}/${action}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void message.success(t(row.locked ? 'users.unlocked' : 'users.lockedDone', { name: row.displayName }));
    },
    onError: (e) => void message.error(errorText(e, t, i18n.language)),
  });

  const confirm = () => {
    void modal.confirm({
      title: t(row.locked ? 'users.unlockConfirm' : 'users.lockConfirm', { name: row.displayName }),
      content: row.locked ? undefined : t('users.lockHint'),
      okText: t(row.locked ? 'users.unlock' : 'users.lock'),
      okButtonProps: { danger: !row.locked },
      cancelText: t('common.cancel'),
      onOk: () => toggle.mutateAsync(),
    });
  };

  return (
    <Space wrap size="small">
      <Button size="small" onClick={() => onReset(row)} data-testid={`user-reset-${row.username}`}>
        {t('users.resetPassword')}
      </Button>
      <Button
        size="small"
        danger={!row.locked}
        disabled={row.id === me.id}
        loading={toggle.isPending}
        onClick={confirm}
        data-testid={`user-${action}-${row.username}`}
      >
        {t(row.locked ? 'users.unlock' : 'users.lock')}
      </Button>
    </Space>
  );
}
