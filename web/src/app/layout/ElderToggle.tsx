import { App, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/errors';
import { useAuth } from '../auth';
import { usePrefs } from '../prefs';

/** 长辈模式: bigger text and 60 px controls, applied at once and saved to the account. */
export function ElderToggle({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { elderMode } = usePrefs();
  const { savePrefs } = useAuth();
  const { message } = App.useApp();
  const toggle = (on: boolean) => {
    savePrefs({ elderMode: on }).catch((e: unknown) => void message.error(errorText(e, t, i18n.language)));
  };
  return (
    <label className="xq-elder">
      {!compact && <span>{t('header.elderMode')}</span>}
      <Switch
        checked={elderMode}
        onChange={toggle}
        data-testid="elder-toggle"
        aria-label={t('header.elderMode')}
        checkedChildren={compact ? t('header.elderShort') : undefined}
        unCheckedChildren={compact ? t('header.elderShort') : undefined}
      />
    </label>
  );
}
