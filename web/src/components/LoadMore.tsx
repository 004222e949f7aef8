import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  count: number;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}

/** Footer of a cursor-paginated list. */
export function LoadMore({ count, hasMore, loading, onMore }: Props) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <div className="xq-load-more">
      {hasMore ? (
        <Button onClick={onMore} loading={loading} data-testid="load-more">
          {t('list.loadMore')}
        </Button>
      ) : (
        <span className="xq-muted">{t('list.allLoaded', { count })}</span>
      )}
    </div>
  );
}
