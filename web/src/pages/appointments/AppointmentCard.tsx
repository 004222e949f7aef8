import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Appointment } from './api';
import { AppointmentActions } from './actions';
import { StatusTag, WhenText } from './bits';

/** One appointment with everything a worker needs and the actions its state allows. */
export function AppointmentCard({ a, withDay = false, linkResident = true }: { a: Appointment; withDay?: boolean; linkResident?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      className={`xq-appt-card status-${a.status}`}
      data-testid="appointment-card"
      data-id={a.id}
      data-status={a.status}
      title={
        <span className="xq-appt-when">
          <WhenText start={a.start} end={a.end} withDay={withDay} />
        </span>
      }
      extra={<StatusTag status={a.status} />}
    >
      <dl className="xq-card-fields">
        <div className="xq-card-field">
          <dt>{t('appointments.field.resident')}</dt>
          <dd data-testid="appointment-resident">
            {linkResident ? <Link to={`/residents/${a.resident.id}`}>{a.resident.name}</Link> : a.resident.name}
          </dd>
        </div>
        <div className="xq-card-field">
          <dt>{t('appointments.field.service')}</dt>
          <dd>
            {a.serviceType.name}
            <span className="xq-muted"> · {t(`appointments.mode.${a.serviceType.mode}`)}</span>
          </dd>
        </div>
        <div className="xq-card-field">
          <dt>{t('appointments.field.worker')}</dt>
          <dd>{a.worker.name}</dd>
        </div>
        <div className="xq-card-field">
          <dt>{t('appointments.field.channel')}</dt>
          <dd>{t(`appointments.channel.${a.channel}`)}</dd>
        </div>
        {a.note && (
          <div className="xq-card-field">
            <dt>{t('appointments.field.note')}</dt>
            <dd className="xq-break">{a.note}</dd>
          </div>
        )}
        {a.cancelReason && (
          <div className="xq-card-field">
            <dt>{t('appointments.field.cancelReason')}</dt>
            <dd className="xq-break">{a.cancelReason}</dd>
          </div>
        )}
        {a.serviceRecordId && (
          <div className="xq-card-field">
            <dt>{t('appointments.field.record')}</dt>
            <dd>
              <Link to={`/service-records?residentId=${a.resident.id}`} data-testid="appointment-record-link">
                {t('appointments.recordWritten')}
              </Link>
            </dd>
          </div>
        )}
      </dl>
      <AppointmentActions a={a} />
      {a.status === 'requested' && (
        <Typography.Paragraph type="secondary" className="xq-small" style={{ margin: '8px 0 0' }}>
          {t('appointments.requestedHint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
