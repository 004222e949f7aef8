import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/**
 * 404: an unknown page by default, or a record the user cannot open (missing or not theirs to see:
 * the two look the same on purpose), with a way back to its list.
 */
export function NotFoundPage(props: { message?: string; backTo?: string; backLabel?: string; testId?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={props.message ?? t('errors.notFoundPage')}
      data-testid={props.testId}
      extra={
        <Button type="primary" onClick={() => navigate(props.backTo ?? '/')} data-testid="not-found-home">
          {props.backLabel ?? t('common.backHome')}
        </Button>
      }
    />
  );
}
