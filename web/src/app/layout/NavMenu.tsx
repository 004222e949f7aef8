import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useUser } from '../auth';
import { moduleForPath, modulesFor } from '../modules';

/** Sidebar built only from `user.modules`. */
export function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items: MenuProps['items'] = modulesFor(user.modules).map((m) => ({
    key: m.path,
    icon: m.icon,
    label: t(`modules.${m.id}`),
    'data-testid': `nav-${m.id}`,
  }));
  const current = moduleForPath(pathname);
  return (
    <Menu
      mode="inline"
      data-testid="nav-menu"
      aria-label={t('nav.label')}
      items={items}
      selectedKeys={current ? [current.path] : []}
      onClick={({ key }) => {
        if (key !== pathname) navigate(key);
        onNavigate?.();
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}
