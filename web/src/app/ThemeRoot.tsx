import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider, theme as antTheme } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { usePrefs } from './prefs';
import { themeFor } from './theme';

/** Keeps <body> in step with the token set, so text outside antd components follows it too. */
function BodyTokens() {
  const { token } = antTheme.useToken();
  useEffect(() => {
    const s = document.body.style;
    s.fontSize = `${token.fontSize}px`;
    s.lineHeight = String(token.lineHeight);
    s.color = token.colorText;
    s.fontFamily = token.fontFamily;
    s.background = token.colorBgLayout;
  }, [token]);
  return null;
}

export function ThemeRoot({ children }: { children: ReactNode }) {
  const { locale, elderMode } = usePrefs();
  return (
    <ConfigProvider
      theme={themeFor(elderMode)}
      locale={locale === 'en' ? enUSLocale : zhCNLocale}
      componentSize={elderMode ? 'large' : undefined}
      button={{ autoInsertSpace: false }}
    >
      <BodyTokens />
      <AntApp className="xq-app">{children}</AntApp>
    </ConfigProvider>
  );
}
