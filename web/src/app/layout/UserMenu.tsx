import { Avatar, Button, Dropdown } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LaptopOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth, useUser } from '../auth';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const items: MenuProps['items'] = [
    { key: 'who', label: `${user.displayName}（${user.username}）`, disabled: true },
    { type: 'divider' },
    { key: '/account/password', icon: <KeyOutlined />, label: t('account.changePassword'), 'data-testid': 'menu-password' },
    { key: '/account/sessions', icon: <LaptopOutlined />, label: t('account.sessions'), 'data-testid': 'menu-sessions' },
    { key: '/account/totp', icon: <SafetyOutlined />, label: t('account.totp'), 'data-testid': 'menu-totp' },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('account.logout'), danger: true, 'data-testid': 'logout' },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'logout') void logout();
    else if (key.startsWith('/')) navigate(key);
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" aria-label={t('header.userMenu')} className="xq-user-btn">
        <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1f6feb' }} />
        {!compact && <span className="xq-user-name">{user.displayName}</span>}
      </Button>
    </Dropdown>
  );
}
