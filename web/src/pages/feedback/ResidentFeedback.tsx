import { useState } from 'react';
import { Alert, Button, Card, Empty, Form, Input, Radio, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { Time } from '../../components/Time';
import { FEEDBACK_KEY, newKey, useSubmitItem, type FeedbackKind, type ItemView, type ToRateView } from './api';
import { ItemStatusTag } from './bits';
import { WorkerPicker } from './WorkerPicker';

/** The resident's feedback home: services waiting for a rating, then suggestions and complaints. */
export function ResidentHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useCursorList<ToRateView>([...FEEDBACK_KEY, 'to-rate'], '/api/feedback/to-rate', {});
  return (
    <div className="xq-page xq-resident-page" data-testid="feedback-resident">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('feedback.toRate')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('feedback.toRateHint')}</Typography.Paragraph>
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('feedback.noneToRate')} data-testid="to-rate-empty" />
      ) : (
        <div className="xq-cards">
          {list.items.map((r) => (
            <Card key={r.serviceRecordId} size="small" data-testid="to-rate-card" data-id={r.serviceRecordId}>
              <strong className="xq-fb-card-title">{r.serviceType?.name ?? t('feedback.noType')}</strong>
              <div className="xq-muted">
                <Time value={r.start} /> · {t('feedback.serviceBy', { name: r.worker.name })}
              </div>
              <div className="xq-muted">{t('feedback.forWhom', { name: r.resident.name })}</div>
              <Button type="primary" size="large" block className="xq-big-button" style={{ marginTop: 12 }} onClick={() => navigate(`/feedback/rate/${r.serviceRecordId}`)} data-testid="to-rate-go">
                {t('feedback.rateButton')}
              </Button>
            </Card>
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      <div className="xq-stack" style={{ marginTop: 24 }}>
        <Button size="large" block className="xq-big-button" onClick={() => navigate('/feedback/new')} data-testid="feedback-new">
          {t('feedback.newItem')}
        </Button>
        <Button size="large" block className="xq-big-button" onClick={() => navigate('/feedback/mine')} data-testid="feedback-mine">
          {t('feedback.mine')}
        </Button>
      </div>
    </div>
  );
}

interface FormValues {
  kind: FeedbackKind;
  subject: string;
  body: string;
  aboutWorkerId?: string | null;
}

/** A suggestion or complaint from the resident (online). */
export function ItemForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const submit = useSubmitItem();
  const [key] = useState(newKey);
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);
  return (
    <div className="xq-page xq-resident-page" data-testid="feedback-form">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('feedback.newItem')}
      </Typography.Title>
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'suggestion' }}
        onFinish={(v) =>
          submit.mutate(
            { kind: v.kind, subject: v.subject.trim(), body: v.body.trim(), aboutWorkerId: v.kind === 'complaint' ? (v.aboutWorkerId ?? null) : null, key },
            { onSuccess: () => navigate('/feedback/mine?sent=1') },
          )
        }
      >
        <Form.Item name="kind" label={t('feedback.kindQuestion')}>
          <Radio.Group className="xq-fb-kinds" data-testid="item-kind">
            {(['suggestion', 'complaint'] as const).map((k) => (
              <Radio.Button key={k} value={k} data-testid={`item-kind-${k}`}>
                {t(`feedback.kind.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {kind && <Typography.Paragraph type="secondary">{t(`feedback.kindHint.${kind}`)}</Typography.Paragraph>}
        {kind === 'complaint' && (
          <Form.Item name="aboutWorkerId" label={t('feedback.aboutWorkerQuestion')} extra={<span data-testid="item-about-hint">{t('feedback.aboutWorkerHint')}</span>}>
            <WorkerPicker resident testId="item-about-worker" />
          </Form.Item>
        )}
        <Form.Item name="subject" label={t('feedback.subject')} rules={[{ required: true, whitespace: true, message: t('feedback.required') }]}>
          <Input size="large" maxLength={80} placeholder={t('feedback.subjectPlaceholder')} data-testid="item-subject" />
        </Form.Item>
        <Form.Item name="body" label={t('feedback.body')} rules={[{ required: true, whitespace: true, message: t('feedback.required') }]}>
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 4, maxRows: 10 }} placeholder={t('feedback.bodyPlaceholder')} data-testid="item-body" />
        </Form.Item>
        <ErrorAlert error={submit.error} />
        <div className="xq-stack">
          <Button type="primary" htmlType="submit" size="large" block className="xq-big-button" loading={submit.isPending} data-testid="item-submit">
            {t('feedback.submit')}
          </Button>
          <Button size="large" block onClick={() => navigate('/feedback')}>
            {t('feedback.cancel')}
          </Button>
        </div>
      </Form>
    </div>
  );
}

/** What the resident sent, with its status and the station's answer. */
export function MyItems() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const sent = params.get('sent');
  const list = useCursorList<ItemView>([...FEEDBACK_KEY, 'items', 'mine'], '/api/feedback-items', {});
  return (
    <div className="xq-page xq-resident-page" data-testid="feedback-mine-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('feedback.mine')}
      </Typography.Title>
      {sent && <Alert type="success" showIcon title={t('feedback.submitted')} style={{ marginBottom: 16 }} data-testid="item-sent" />}
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('feedback.noneMine')} />
      ) : (
        <div className="xq-cards">
          {list.items.map((i) => (
            <Card key={i.id} size="small" data-testid="my-item" data-id={i.id}>
              <div className="xq-fb-card-head">
                <strong className="xq-fb-card-title">{i.subject}</strong>
                <ItemStatusTag status={i.status} />
              </div>
              <div className="xq-muted">
                {t(`feedback.kind.${i.kind}`)} · <Time value={i.createdAt} />
              </div>
              <p className="xq-break">{i.body}</p>
              <div className="xq-fb-response" data-testid="my-item-response">
                <div className="xq-muted">{t('feedback.response')}</div>
                {i.response ? <div className="xq-break">{i.response}</div> : <div className="xq-muted">{t('feedback.noResponse')}</div>}
              </div>
            </Card>
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      <Button size="large" block style={{ marginTop: 16 }} onClick={() => navigate('/feedback')}>
        {t('feedback.backToList')}
      </Button>
    </div>
  );
}

