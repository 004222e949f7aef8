import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { checkPassword, MIN_PASSWORD_LENGTH } from './passwordRules';

/** Live checklist of the password rules; updates on every keystroke. */
export function PasswordChecklist({ password, username }: { password: string; username: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const c = checkPassword(password, username);
  const classNames = (['lower', 'upper', 'digit', 'symbol'] as const)
    .map((k) => `${c.present[k] ? '✓' : '·'}${t(`password.class.${k}`)}`)
    .join('  ');
  const rows = [
    { ok: c.length, text: t('password.rule.length', { n: MIN_PASSWORD_LENGTH }) },
    { ok: c.classes, text: t('password.rule.classes', { list: classNames }) },
    { ok: c.notUsername, text: t('password.rule.notUsername') },
  ];
  return (
    <ul className="xq-checklist" aria-live="polite" data-testid="password-checklist">
      {rows.map((r) => (
        <li key={r.text} style={{ color: r.ok ? token.colorSuccessText : token.colorTextSecondary }}>
          {r.ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleOutlined aria-hidden />}{' '}
          <span>{r.text}</span>
          <span className="xq-sr-only">{r.ok ? t('password.met') : t('password.unmet')}</span>
        </li>
      ))}
    </ul>
  );
}
