import { Button, Layout } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { ElderToggle } from './ElderToggle';
import { NotificationBell } from './NotificationBell';
import { StationSwitch } from './StationSwitch';
import { UserMenu } from './UserMenu';

export function HeaderBar({ mobile, onOpenMenu }: { mobile: boolean; onOpenMenu: () => void }) {
  const { t } = useTranslation();
  return (
    <Layout.Header className="xq-header">
      {mobile && (
        <Button
          type="text"
          icon={<MenuOutlined />}
          onClick={onOpenMenu}
          aria-label={t('nav.open')}
          data-testid="nav-open"
        />
      )}
      <Link to="/" className="xq-header-brand">
        <span className="xq-brand-mark small" aria-hidden>
          乡
        </span>
        <span className="xq-header-name">{t('app.name')}</span>
      </Link>
      {!mobile && (
        <div className="xq-header-station">
          <StationSwitch />
        </div>
      )}
      <div className="xq-header-actions">
        <ElderToggle compact={mobile} />
        <LanguageSwitch compact={mobile} />
        <NotificationBell />
        <UserMenu compact={mobile} />
      </div>
    </Layout.Header>
  );
}
