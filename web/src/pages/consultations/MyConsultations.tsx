import { Button, Card, Empty, Skeleton, Typography } from 'antd';
import { PlusOutlined, QuestionCircleOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { Time } from '../../components/Time';
import { useBookableResidents } from '../appointments/api';
import { LIST_KEY, type Consultation } from './api';
import { StatusTag } from './bits';

/** 我的咨询: big cards, newest questions first by deadline order; ask in one tap; the FAQ first. */
export function MyConsultations() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useCursorList<Consultation>(LIST_KEY, '/api/consultations', {});
  const people = useBookableResidents();
  const several = (people.data ?? []).length > 1;
  const items = [...list.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <div className="xq-page xq-resident-page" data-testid="consultations-mine">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('consultations.mineTitle')}
      </Typography.Title>
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={() => navigate('/consultations/ask')} className="xq-big-button" data-testid="ask-start">
        {t('consultations.ask')}
      </Button>
      <Link to="/faq" className="xq-cons-faq-link" data-testid="faq-link">
        <QuestionCircleOutlined /> {t('consultations.faqLinkHint')} <RightOutlined />
      </Link>
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : items.length === 0 ? (
        <Empty description={t('consultations.emptyMine')} data-testid="mine-empty" />
      ) : (
        <div className="xq-stack">
          {items.map((c) => (
            <Link key={c.id} to={`/consultations/${c.id}`} className="xq-cons-mine-link" data-testid="my-consultation" data-id={c.id}>
              <Card size="small" hoverable>
                <div className="xq-cons-mine-head">
                  <span className="xq-cons-mine-subject">{c.subject}</span>
                  <StatusTag status={c.status} />
                </div>
                <div className="xq-muted">
                  {several && `${c.resident.name} · `}
                  {t(`services.area.${c.area}`)} · <Time value={c.createdAt} relative />
                </div>
              </Card>
            </Link>
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}
