import { Button } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';

export function LogoutLink() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  return (
    <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
      {t('account.logout')}
    </Button>
  );
}
