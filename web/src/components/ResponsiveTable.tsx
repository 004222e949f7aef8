import type { ReactNode } from 'react';
import { Card, Skeleton, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useIsMobile } from './useIsMobile';

export interface Column<T> {
  key: string;
  title: ReactNode;
  render: (row: T) => ReactNode;
  width?: number;
  /** Left out of the phone card (e.g. shown as the card title already). */
  hideOnCard?: boolean;
}

interface Props<T> {
  rows: T[];
  rowKey: (row: T) => string;
  columns: Column<T>[];
  loading: boolean;
  empty: ReactNode;
  testId?: string;
  cardTitle?: (row: T) => ReactNode;
  cardExtra?: (row: T) => ReactNode;
}

/** A table on desktop, a stack of cards on a phone; never scrolls the page sideways. */
export function ResponsiveTable<T extends object>(props: Props<T>) {
  const { rows, rowKey, columns, loading, empty, testId, cardTitle, cardExtra } = props;
  const mobile = useIsMobile();

  if (!mobile) {
    const antColumns: TableColumnsType<T> = columns.map((c) => ({
      key: c.key,
      title: c.title,
      width: c.width,
      render: (_: unknown, row: T) => c.render(row),
    }));
    return (
      <div data-testid={testId} className="xq-table-wrap">
        <Table<T>
          rowKey={rowKey}
          columns={antColumns}
          dataSource={rows}
          loading={loading && rows.length > 0}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: loading ? <Skeleton active /> : empty }}
        />
      </div>
    );
  }

  return (
    <div data-testid={testId} className="xq-cards">
      {loading && rows.length === 0 && <Skeleton active />}
      {!loading && rows.length === 0 && empty}
      {rows.map((row) => (
        <Card
          key={rowKey(row)}
          size="small"
          title={cardTitle?.(row)}
          extra={cardExtra?.(row)}
          className="xq-card-row"
          data-row-key={rowKey(row)}
        >
          <dl className="xq-card-fields">
            {columns
              .filter((c) => !c.hideOnCard)
              .map((c) => (
                <div key={c.key} className="xq-card-field">
                  <dt>{c.title}</dt>
                  <dd>{c.render(row)}</dd>
                </div>
              ))}
          </dl>
        </Card>
      ))}
    </div>
  );
}
