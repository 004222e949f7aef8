import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { ApiError } from '../../api/client';

/** 出错了: what happened, a reload button, and the request id for the help desk. */
export function ErrorView({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.requestId : null;
  const detail = error instanceof Error ? error.message : '';
  return (
    <div className="xq-fullpage" role="alert">
      <Result
        status="error"
        title={t('errors.crashTitle')}
        subTitle={t('errors.crashHint')}
        extra={[
          <Button type="primary" key="reload" onClick={() => window.location.reload()} data-testid="error-reload">
            {t('errors.reload')}
          </Button>,
          <Button key="home" href="/">
            {t('common.backHome')}
          </Button>,
        ]}
      >
        {requestId && (
          <Typography.Paragraph copyable={{ text: requestId }}>
            {t('errors.requestId')}: <span className="xq-mono">{requestId}</span>
          </Typography.Paragraph>
        )}
        {detail && import.meta.env.DEV && <Typography.Paragraph type="secondary">{detail}</Typography.Paragraph>}
      </Result>
    </div>
  );
}

/** Router errorElement (render errors, failed lazy chunks). */
export function RouteErrorPage() {
  return <ErrorView error={useRouteError()} />;
}

/** Last-resort boundary around the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Xiangqiao crashed', error, info.componentStack);
  }

  override render() {
    return this.state.error ? <ErrorView error={this.state.error} /> : this.props.children;
  }
}
