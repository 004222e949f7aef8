import { useEffect, useMemo, useSyncExternalStore } from 'react';
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

const REDUCED = '(prefers-reduced-motion: reduce)';
const subscribeReduced = (onChange: () => void) => {
  const m = window.matchMedia(REDUCED);
  m.addEventListener('change', onChange);
  return () => m.removeEventListener('change', onChange);
};

/**
 * The system's "reduce motion" setting (many older users turn it on): antd's opening and closing
 * animations are switched off, so dialogs and drawers appear at once.
 */
function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribeReduced, () => window.matchMedia(REDUCED).matches, () => false);
}

export function ThemeRoot({ children }: { children: ReactNode }) {
  const { locale, elderMode } = usePrefs();
  const reduced = usePrefersReducedMotion();
  const theme = useMemo(() => {
    const base = themeFor(elderMode);
    return reduced ? { ...base, token: { ...base.token, motion: false } } : base;
  }, [elderMode, reduced]);
  return (
    <ConfigProvider
      theme={theme}
      locale={locale === 'en' ? enUSLocale : zhCNLocale}
      componentSize={elderMode ? 'large' : undefined}
      button={{ autoInsertSpace: false }}
    >
      <BodyTokens />
      <AntApp className="xq-app">{children}</AntApp>
    </ConfigProvider>
  );
}
