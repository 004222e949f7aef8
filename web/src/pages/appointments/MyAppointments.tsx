import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Modal, Skeleton, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Appointment } from './api';
import { isActive, transition, useAppointments, useInvalidateAfterChange } from './api';
import { StatusTag, WhenText } from './bits';

/** 我的预约: what is coming up first, then what is past; cancel in two taps. */
export function MyAppointments() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const list = useAppointments({});
  const booked = params.get('booked');
  const all = list.data ?? [];
  const now = Date.now();
  const upcoming = all.filter((a) => isActive(a.status) && new Date(a.end).getTime() >= now).sort((a, b) => a.start.localeCompare(b.start));
  const past = all.filter((a) => !upcoming.includes(a)).sort((a, b) => b.start.localeCompare(a.start));
  const several = new Set(all.map((a) => a.resident.id)).size > 1;
  // Completed services still waiting for a rating get a 评价 button (the feedback module decides which).
  const toRate = useQuery({
    queryKey: ['feedback', 'to-rate', 'appointments'],
    queryFn: ({ signal }) => apiGet<{ items: { serviceRecordId: string }[] }>('/api/feedback/to-rate', { limit: 100 }, signal),
  });
  const rateable = new Set((toRate.data?.items ?? []).map((r) => r.serviceRecordId));

  return (
    <div className="xq-page xq-resident-page" data-testid="appointments-mine">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('appointments.mineTitle')}
      </Typography.Title>
      {booked && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setParams(new URLSearchParams(), { replace: true }) }}
          title={t('appointments.bookedTitle')}
          description={t('appointments.bookedHint')}
          style={{ marginBottom: 16 }}
          data-testid="booked-alert"
        />
      )}
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={() => navigate('/appointments/book')} className="xq-big-button" data-testid="book-start">
        {t('appointments.bookButton')}
      </Button>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : (
        <>
          <Typography.Title level={4}>{t('appointments.upcoming')}</Typography.Title>
          {upcoming.length === 0 ? (
            <Empty description={t('appointments.noUpcoming')} data-testid="mine-empty" />
          ) : (
            <div className="xq-appt-list">
              {upcoming.map((a) => (
                <MyCard key={a.id} a={a} showWho={several} />
              ))}
            </div>
          )}
          {past.length > 0 && (
            <>
              <Typography.Title level={4}>{t('appointments.past')}</Typography.Title>
              <div className="xq-appt-list">
                {past.map((a) => (
                  <MyCard key={a.id} a={a} showWho={several} rateable={!!a.serviceRecordId && rateable.has(a.serviceRecordId)} />
                ))}
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}

function MyCard({ a, showWho, rateable = false }: { a: Appointment; showWho: boolean; rateable?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [asking, setAsking] = useState(false);
  const refresh = useInvalidateAfterChange();
  const navigate = useNavigate();
  const cancel = useMutation({
    mutationFn: () => transition(a, 'cancel'),
    onSuccess: () => {
      setAsking(false);
      void message.success(t('appointments.done.cancel'));
      refresh();
    },
  });
  const cancellable = a.status === 'requested' || a.status === 'confirmed';
  return (
    <Card className={`xq-appt-card mine status-${a.status}`} data-testid="my-appointment" data-id={a.id} data-status={a.status}>
      <div className="xq-appt-mine-head">
        <strong className="xq-appt-mine-service">{a.serviceType.name}</strong>
        <StatusTag status={a.status} />
      </div>
      <div className="xq-appt-mine-when">
        <WhenText start={a.start} end={a.end} />
      </div>
      <div className="xq-muted">
        {t(`appointments.mode.${a.serviceType.mode}`)} · {t('appointments.workerIs', { name: a.worker.name })}
        {showWho && ` · ${t('appointments.forWhom', { name: a.resident.name })}`}
      </div>
      {a.status === 'requested' && <div className="xq-appt-mine-note">{t('appointments.waitingConfirm')}</div>}
      {rateable && (
        <Button block size="large" type="primary" onClick={() => navigate(`/feedback/rate/${a.serviceRecordId}`)} style={{ marginTop: 12 }} data-testid="my-rate">
          {t('feedback.rateButton')}
        </Button>
      )}
      {cancellable && (
        <Button block size="large" danger onClick={() => setAsking(true)} style={{ marginTop: 12 }} data-testid="my-cancel">
          {t('appointments.cancelMine')}
        </Button>
      )}
      <Modal
        open={asking}
        title={t('appointments.cancelMineConfirm')}
        onCancel={() => setAsking(false)}
        footer={null}
        destroyOnHidden
      >
        <p>
          {a.serviceType.name} · <WhenText start={a.start} end={a.end} />
        </p>
        <ErrorAlert error={cancel.error} />
        <div className="xq-stack">
          <Button block size="large" danger type="primary" loading={cancel.isPending} onClick={() => cancel.mutate()} data-testid="my-cancel-yes">
            {t('appointments.cancelMineYes')}
          </Button>
          <Button block size="large" onClick={() => setAsking(false)}>
            {t('appointments.keep')}
          </Button>
        </div>
      </Modal>
    </Card>
  );
}
