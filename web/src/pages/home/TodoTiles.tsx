import { Card, Col, Row, Skeleton, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';

interface Workbench {
  appointmentsToday: number;
  myAppointmentsToday: number;
  consultationsWaiting: number;
  consultationsOverdue: number;
  requestsUnassigned: number;
  myRequests: number;
  visitsOverdue: number;
  visitsDueSoon: number;
  visitsOverdueHighTier: number;
  myVisitsOverdue: number;
  complaintsOpen: number;
  complaintsOverdue: number;
  toRate: number;
}

interface Tile {
  id: string;
  to: string;
  label: string;
  value: number;
  /** Red when something is late. */
  alert: boolean;
  lines: string[];
}

/** 今日待办: what is waiting, each number a link to the list that holds it (the same rule counts both). */
export function TodoTiles() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['workbench'], queryFn: ({ signal }) => apiGet<Workbench>('/api/workbench', undefined, signal), refetchInterval: 60_000 });
  if (q.isLoading) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} />;
  const w = q.data;
  const line = (key: string, n: number) => (n > 0 ? [t(`home.todo.${key}`, { n })] : []);
  const tiles: Tile[] = [
    { id: 'appointments', to: '/appointments', label: t('home.todo.appointments'), value: w.appointmentsToday, alert: false, lines: line('appointmentsMine', w.myAppointmentsToday) },
    { id: 'consultations', to: '/consultations', label: t('home.todo.consultations'), value: w.consultationsWaiting, alert: w.consultationsOverdue > 0, lines: line('consultationsOverdue', w.consultationsOverdue) },
    { id: 'requests', to: '/requests', label: t('home.todo.requests'), value: w.requestsUnassigned, alert: false, lines: line('requestsMine', w.myRequests) },
    { id: 'visits', to: '/visits', label: t('home.todo.visits'), value: w.visitsOverdue, alert: w.visitsOverdueHighTier > 0, lines: [...line('visitsHigh', w.visitsOverdueHighTier), ...line('visitsMine', w.myVisitsOverdue)] },
    { id: 'complaints', to: '/feedback/complaints', label: t('home.todo.complaints'), value: w.complaintsOpen, alert: w.complaintsOverdue > 0, lines: line('complaintsOverdue', w.complaintsOverdue) },
    { id: 'to-rate', to: '/feedback/follow-up', label: t('home.todo.toRate'), value: w.toRate, alert: false, lines: [] },
  ];
  return (
    <section aria-labelledby="todo-title" className="xq-todo" data-testid="home-todo">
      <Typography.Title level={4} id="todo-title">
        {t('home.todo.title')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {tiles.map((x) => (
          <Col key={x.id} xs={12} sm={8} lg={4}>
            <Link to={x.to} data-testid={`todo-${x.id}`} className="xq-module-link">
              <Card hoverable size="small" className={x.alert ? 'xq-todo-tile xq-todo-alert' : 'xq-todo-tile'}>
                <div className="xq-todo-label">{x.label}</div>
                <div className="xq-todo-value" data-testid={`todo-${x.id}-value`}>
                  {x.value}
                </div>
                {x.lines.map((l) => (
                  <div key={l} className={x.alert ? 'xq-todo-line xq-todo-line-alert' : 'xq-todo-line'}>
                    {l}
                  </div>
                ))}
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </section>
  );
}
