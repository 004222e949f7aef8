import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';

/** Centered single-task page (login, first-run setup, forced password/TOTP steps). */
export function FocusLayout({
  children,
  width = 440,
  actions,
}: {
  children: ReactNode;
  width?: number;
  actions?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="xq-focus">
      <div className="xq-focus-top">
        {actions}
        <LanguageSwitch />
      </div>
      <main className="xq-focus-main" style={{ maxWidth: width }}>
        <header className="xq-brand">
          <div className="xq-brand-mark" aria-hidden>
            乡
          </div>
          <div>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
        </header>
        <Card>{children}</Card>
      </main>
    </div>
  );
}
