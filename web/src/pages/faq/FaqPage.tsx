import { useEffect, useState } from 'react';
import { Button, Empty, Input, Select, Skeleton, Tag, Typography } from 'antd';
import { LoginOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FocusLayout } from '../../components/FocusLayout';
import { LoadMore } from '../../components/LoadMore';
import { formatDate } from '../../components/format';
import { AREAS, type FaqEntry } from '../consultations/api';
import './faq.css';

/**
 * 常见问题: the public FAQ, readable without signing in (phone first, big type, printable).
 * Words, area and station are kept in the URL so a worker can send a link to a resident.
 */
export function FaqPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const area = params.get('area') ?? '';
  const stationId = params.get('stationId') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const list = useCursorList<FaqEntry>(['faq'], '/api/faq', { q: q || undefined, area: area || undefined, stationId: stationId || undefined });

  return (
    <FocusLayout
      width={760}
      actions={
        <Link to="/login">
          <Button icon={<LoginOutlined />} data-testid="faq-login">
            {t('consultations.faq.askLogin')}
          </Button>
        </Link>
      }
    >
      <div className="xq-faq" data-testid="faq-page">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('consultations.faq.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('consultations.faq.sub')}</Typography.Paragraph>
        <div className="xq-faq-filters" role="search">
          <Input.Search
            size="large"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => set('q', v.trim())}
            allowClear
            maxLength={50}
            placeholder={t('consultations.faq.search')}
            aria-label={t('consultations.faq.search')}
            enterButton
            data-testid="faq-search"
          />
          <Select
            size="large"
            value={area}
            onChange={(v: string) => set('area', v)}
            aria-label={t('consultations.filter.area')}
            options={[{ value: '', label: t('consultations.filter.allAreas') }, ...AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))]}
            data-testid="faq-area"
          />
        </div>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : list.items.length === 0 ? (
          <Empty description={t('consultations.faq.none')} data-testid="faq-empty" />
        ) : (
          <ol className="xq-faq-list" data-testid="faq-list">
            {list.items.map((f) => (
              <li key={f.id} className="xq-faq-item" data-testid="faq-item" data-id={f.id}>
                <h2 className="xq-faq-q">{f.question}</h2>
                <p className="xq-faq-a">{f.answer}</p>
                <div className="xq-faq-meta">
                  <Tag>{t(`services.area.${f.area}`)}</Tag>
                  <span>{t('consultations.faq.station', { name: f.stationName })}</span>
                  <span>{t('consultations.faq.publishedAt', { time: formatDate(f.publishedAt, i18n.language) })}</span>
                </div>
              </li>
            ))}
          </ol>
        )}
        <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      </div>
    </FocusLayout>
  );
}
