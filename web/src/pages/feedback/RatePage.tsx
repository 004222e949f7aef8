import { useState } from 'react';
import { Button, Card, Input, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Time } from '../../components/Time';
import { newKey, useRate, useRateTarget } from './api';
import { Stars } from './Stars';

/** Rate one service: one question per screen (stars, then an optional comment), then thanks. */
export function RatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { serviceRecordId = '' } = useParams();
  const target = useRateTarget(serviceRecordId);
  const rate = useRate();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [step, setStep] = useState<'score' | 'comment'>('score');
  // One key per submission: a retry after a dropped connection is the same rating.
  const [key] = useState(newKey);

  if (target.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (target.error) return <ErrorAlert error={target.error} />;
  const { record, rated, rating } = target.data;
  const done = rate.data?.rating ?? null;

  if (done) {
    return (
      <div className="xq-page xq-resident-page" data-testid="rate-thanks">
        <Result
          status="success"
          title={t('feedback.thanksTitle')}
          subTitle={done.score <= 2 ? t('feedback.thanksLow') : t('feedback.thanksBody')}
          extra={
            <Button type="primary" size="large" block className="xq-big-button" onClick={() => navigate('/feedback')} data-testid="rate-back">
              {t('feedback.backToList')}
            </Button>
          }
        />
      </div>
    );
  }

  const header = (
    <Card className="xq-fb-service" size="small">
      <strong>{record.serviceType?.name ?? t('feedback.noType')}</strong>
      <div className="xq-muted">
        <Time value={record.start} /> · {t('feedback.serviceBy', { name: record.worker.name })}
      </div>
      <div className="xq-muted">{t('feedback.forWhom', { name: record.resident.name })}</div>
    </Card>
  );

  if (rated) {
    return (
      <div className="xq-page xq-resident-page" data-testid="rate-already">
        {header}
        <Result status="info" title={t('feedback.alreadyRated')} subTitle={rating ? t('feedback.yourScore', { score: rating.score }) : t('feedback.ratedHidden')} />
      </div>
    );
  }

  return (
    <div className="xq-page xq-resident-page xq-fb-rate" data-testid="rate-page">
      {header}
      {step === 'score' ? (
        <>
          <Typography.Title level={3} className="xq-fb-question" data-testid="rate-question">
            {t('feedback.rateQuestion')}
          </Typography.Title>
          <Stars value={score} onChange={setScore} />
          <Button type="primary" size="large" block className="xq-big-button" disabled={score === 0} onClick={() => setStep('comment')} data-testid="rate-next">
            {t('feedback.rateNext')}
          </Button>
        </>
      ) : (
        <>
          <Typography.Title level={3} className="xq-fb-question" data-testid="rate-question">
            {t('feedback.commentQuestion')}
          </Typography.Title>
          <div className="xq-muted">{t('feedback.yourScore', { score })} · {t(`feedback.scoreText.${score}`)}</div>
          <Input.TextArea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={1000}
            autoSize={{ minRows: 4, maxRows: 8 }}
            placeholder={t('feedback.commentPlaceholder')}
            className="xq-fb-comment"
            data-testid="rate-comment"
          />
          <ErrorAlert error={rate.error} />
          <div className="xq-stack">
            <Button type="primary" size="large" block className="xq-big-button" loading={rate.isPending} onClick={() => rate.mutate({ serviceRecordId: record.serviceRecordId, score, comment: comment.trim() || null, key })} data-testid="rate-submit">
              {t('feedback.submitRating')}
            </Button>
            <Button size="large" block onClick={() => setStep('score')}>
              {t('feedback.back')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
