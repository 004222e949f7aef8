import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from './errors';

/** Inline error above a form or list; antd's Alert carries role="alert". */
export function ErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid={testId}
      title={errorText(error, t, i18n.language)}
      style={{ marginBottom: 16 }}
    />
  );
}
