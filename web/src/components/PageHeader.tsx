import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** Page title with the primary action on the right (wraps under it on a phone). */
export function PageHeader({ title, extra, sub }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="xq-page-header">
      <div className="xq-page-title">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <div className="xq-page-extra">{extra}</div>}
    </div>
  );
}
