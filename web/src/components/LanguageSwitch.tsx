import { App, Button } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../app/auth';
import { usePrefs } from '../app/prefs';
import { errorText } from './errors';

/** One click to the other language; saved to the account when logged in. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { locale } = usePrefs();
  const { savePrefs } = useAuth();
  const { message } = App.useApp();
  const next = locale === 'en' ? 'zh-CN' : 'en';
  const label = next === 'en' ? 'English' : '中文';
  return (
    <Button
      type="text"
      data-testid="lang-switch"
      icon={compact ? undefined : <TranslationOutlined />}
      lang={next}
      aria-label={t('lang.switchTo', { lang: label })}
      title={t('lang.switchTo', { lang: label })}
      onClick={() => {
        savePrefs({ locale: next }).catch((e: unknown) => {
          void message.error(errorText(e, t, i18n.language));
        });
      }}
    >
      {compact ? (next === 'en' ? 'EN' : '中') : label}
    </Button>
  );
}
