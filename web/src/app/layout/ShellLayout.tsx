import { Suspense, useEffect, useState } from 'react';
import { Drawer, Layout, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { useIsMobile } from '../../components/useIsMobile';
import { HeaderBar } from './HeaderBar';
import { NavMenu } from './NavMenu';
import { StationSwitch } from './StationSwitch';

/** Logged-in frame: sidebar (a drawer on phones), header, content. */
export function ShellLayout() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { pathname } = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => setDrawerOpen(false), [pathname]);

  return (
    <Layout className="xq-shell">
      {!mobile && (
        <Layout.Sider
          className="xq-sider"
          theme="light"
          width={220}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
        >
          <NavMenu />
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer
          className="xq-nav-drawer"
          placement="left"
          size={280}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={t('app.name')}
        >
          <div className="xq-drawer-station">
            <StationSwitch />
          </div>
          <NavMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout className="xq-main">
        <HeaderBar mobile={mobile} onOpenMenu={() => setDrawerOpen(true)} />
        <Layout.Content className="xq-content" id="main">
          <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
