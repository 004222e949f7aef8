import { useState } from 'react';
import { Button, Empty, Input, Select, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ManagedUser } from '../../api/types';
import { ROLES } from '../../api/types';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import type { Column } from '../../components/ResponsiveTable';
import { RoleTags } from '../../components/roles';
import { Time } from '../../components/Time';
import { CreateUserModal } from './CreateUserModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserRowActions } from './UserRowActions';

export function UsersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const role = params.get('role') ?? '';
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const list = useCursorList<ManagedUser>(['users'], '/api/users', { q: q || undefined, role: role || undefined });

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  const columns: Column<ManagedUser>[] = [
    { key: 'username', title: t('users.username'), render: (u) => <span className="xq-mono">{u.username}</span> },
    { key: 'displayName', title: t('users.displayName'), render: (u) => u.displayName, hideOnCard: true },
    { key: 'roles', title: t('users.roles'), render: (u) => <RoleTags roles={u.roles} /> },
    {
      key: 'status',
      title: t('users.status'),
      render: (u) =>
        u.locked ? (
          <span>
            <Tag color="red">{t('users.locked')}</Tag>
            {u.lockedUntil && (
              <span className="xq-muted">
                {t('users.lockedUntil')} <Time value={u.lockedUntil} />
              </span>
            )}
          </span>
        ) : (
          <Tag color="green">{t('users.active')}</Tag>
        ),
    },
    { key: 'totp', title: t('users.totp'), render: (u) => (u.totpEnabled ? t('users.totpOn') : t('users.totpOff')) },
    { key: 'lastLogin', title: t('users.lastLogin'), render: (u) => <Time value={u.lastLoginAt} relative /> },
    { key: 'actions', title: t('common.actions'), render: (u) => <UserRowActions row={u} onReset={setResetting} /> },
  ];

  return (
    <div className="xq-page">
      <PageHeader
        title={t('modules.users')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            {t('users.create')}
          </Button>
        }
      />
      <div className="xq-filters">
        <Input.Search
          key={q}
          defaultValue={q}
          allowClear
          placeholder={t('users.search')}
          aria-label={t('users.search')}
          onSearch={(v) => setParam('q', v.trim())}
          style={{ maxWidth: 320 }}
        />
        <Select
          value={role || undefined}
          allowClear
          placeholder={t('users.allRoles')}
          aria-label={t('users.role')}
          onChange={(v: string | undefined) => setParam('role', v ?? '')}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          style={{ minWidth: 160 }}
        />
      </div>
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        testId="users-table"
        rows={list.items}
        rowKey={(u) => u.id}
        columns={columns}
        loading={list.isLoading}
        cardTitle={(u) => u.displayName}
        empty={<Empty description={q || role ? t('users.emptyFiltered') : t('users.empty')} />}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal target={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}
