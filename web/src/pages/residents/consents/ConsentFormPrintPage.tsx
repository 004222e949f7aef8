import { Alert, Button, Card, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { useUser } from '../../../app/auth';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ageOn } from '../../../../../server/src/lib/identity';
import { GUARDIAN_AGE } from '../../../../../server/src/modules/consents/rules';
import { formatDay, useResidentDetail, type ResidentDetailView } from './api';
import {
  DECLARATION, FORM_PURPOSES, FORM_TITLE, GUARDIAN_TEXT, GUARDIAN_TITLE, introParagraphs, RIGHTS_TEXT, RIGHTS_TITLE,
  SENSITIVE_TEXT, SENSITIVE_TITLE, WITNESS_TITLE,
} from './formTemplate';
import './consents.css';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八'];

function Box() {
  return <span className="xq-cf-box" aria-hidden />;
}

function Choice() {
  return (
    <>
      <span className="xq-cf-choice">
        <Box />
        同意
      </span>
      <span className="xq-cf-choice">
        <Box />
        不同意
      </span>
    </>
  );
}

function Line({ label, value }: { label: string; value?: string }) {
  return (
    <div className="xq-cf-line">
      <span>{label}</span>
      {value ? <span className="xq-cf-fill">{value}</span> : <span className="xq-cf-blank" />}
    </div>
  );
}

const DATE_BLANK = '　　　　年　　月　　日';

/** The form itself: one resident's details filled into the template. */
export function ConsentForm({ r, stationName, today }: { r: ResidentDetailView; stationName: string; today: Date }) {
  const minor = ageOn(r.birthDate, today) < GUARDIAN_AGE;
  const withGuardian = minor || r.guardian !== null;
  const sections = ['基本信息', '告知事项', '同意事项（请逐项勾选）', SENSITIVE_TITLE, RIGHTS_TITLE, ...(withGuardian ? [GUARDIAN_TITLE] : []), '签署'];
  const h = (title: string) => `${NUMERALS[sections.indexOf(title)] ?? ''}、${title}`;

  return (
    <div className="xq-cf-sheet" data-testid="consent-form">
      <table className="xq-cf-frame">
        <tfoot>
          <tr>
            <td>
              {/* A table footer repeats at the bottom of every printed page. */}
              <div className="xq-cf-footer" data-testid="consent-form-footer">
                <span>{stationName} · {FORM_TITLE}</span>
                <span>服务对象：{r.name}</span>
              </div>
            </td>
          </tr>
        </tfoot>
        <tbody>
          <tr>
            <td>
              <h1 className="xq-cf-title">{FORM_TITLE}</h1>
              <p className="xq-cf-sub xq-cf-noindent">{stationName}</p>

              <section className="xq-cf-block">
                <h2>{h('基本信息')}</h2>
                <table className="xq-cf-table">
                  <tbody>
                    <tr>
                      <th>姓名</th>
                      <td data-testid="cf-name">{r.name}</td>
                      <th>性别</th>
                      <td>{r.gender === 'male' ? '男' : '女'}</td>
                    </tr>
                    <tr>
                      <th>出生日期</th>
                      <td>{formatDay(r.birthDate, 'zh-CN')}</td>
                      <th>身份证号</th>
                      <td className="xq-mono" data-testid="cf-id">{r.idNumberMasked ?? (r.noIdReason ? `无（${r.noIdReason}）` : '无')}</td>
                    </tr>
                    <tr>
                      <th>村（社区）</th>
                      <td>{r.villageName}</td>
                      <th>社工站</th>
                      <td>{stationName}</td>
                    </tr>
                  </tbody>
                </table>
              </section>

              <section>
                <h2>{h('告知事项')}</h2>
                {introParagraphs({ stationName, residentName: r.name, lawfulBasis: r.lawfulBasis }).map((p) => (
                  <p key={p}>{p}</p>
                ))}
              </section>

              <section className="xq-cf-block">
                <h2>{h('同意事项（请逐项勾选）')}</h2>
                <table className="xq-cf-table">
                  <thead>
                    <tr>
                      <th>用途</th>
                      <th style={{ width: 'auto' }}>说明</th>
                      <th>您的选择</th>
                    </tr>
                  </thead>
                  <tbody>
                    {FORM_PURPOSES.map((p) => (
                      <tr key={p.purpose} data-testid="cf-purpose">
                        <td>{p.name}</td>
                        <td>{p.text}</td>
                        <td>
                          <Choice />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>

              <section className="xq-cf-block" data-testid="cf-sensitive">
                <h2>{h(SENSITIVE_TITLE)}</h2>
                {SENSITIVE_TEXT.map((p) => (
                  <p key={p}>{p}</p>
                ))}
                <p className="xq-cf-noindent">
                  对上述敏感个人信息的处理，本人（监护人）：<Choice />
                </p>
                <div className="xq-cf-sign">
                  <Line label="签名：" />
                  <Line label="日期：" value={DATE_BLANK} />
                </div>
              </section>

              <section className="xq-cf-block">
                <h2>{h(RIGHTS_TITLE)}</h2>
                {RIGHTS_TEXT.map((p) => (
                  <p key={p}>{p}</p>
                ))}
              </section>

              {withGuardian && (
                <section className="xq-cf-block" data-testid="cf-guardian">
                  <h2>{h(GUARDIAN_TITLE)}</h2>
                  <p>{GUARDIAN_TEXT}</p>
                  <div className="xq-cf-sign">
                    <Line label="监护人姓名：" value={r.guardian?.name} />
                    <Line label="与服务对象关系：" />
                    <Line label="监护人身份证号：" />
                    <Line label="监护人联系电话：" />
                  </div>
                </section>
              )}

              <section className="xq-cf-block">
                <h2>{h('签署')}</h2>
                <p>{DECLARATION}</p>
                <div className="xq-cf-sign">
                  <Line label={withGuardian ? (minor ? '监护人签名：' : '本人或监护人签名：') : '本人签名（或按手印）：'} />
                  <Line label="日期：" value={DATE_BLANK} />
                  <Line label="社工站经办人：" />
                  <Line label="日期：" value={DATE_BLANK} />
                </div>
                <h2 style={{ marginTop: 18 }}>{WITNESS_TITLE}</h2>
                <div className="xq-cf-sign" data-testid="cf-witnesses">
                  <Line label="见证人一签名：" />
                  <Line label="日期：" value={DATE_BLANK} />
                  <Line label="见证人二签名：" />
                  <Line label="日期：" value={DATE_BLANK} />
                </div>
                <p className="xq-cf-noindent" style={{ marginTop: 18, textAlign: 'right' }}>
                  {stationName}（盖章）
                </p>
              </section>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** /residents/:id/consent-form: the printable A4 知情同意书 for one resident. */
export function ConsentFormPrintPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const user = useUser();
  const q = useResidentDetail(id);

  const back = (
    <Link to={`/residents/${id ?? ''}?tab=consents`} className="xq-muted" data-testid="consent-form-back">
      <ArrowLeftOutlined aria-hidden /> {t('consents.printPage.back')}
    </Link>
  );
  if (q.isPending) {
    return (
      <div className="xq-page">
        <Card>
          <Skeleton active paragraph={{ rows: 12 }} />
        </Card>
      </div>
    );
  }
  if (q.error) {
    if (isApiError(q.error) && q.error.status === 404) return <Result status="404" title="404" subTitle={t('errors.not_found')} extra={back} />;
    return (
      <div className="xq-page">
        {back}
        <ErrorAlert error={q.error} />
      </div>
    );
  }
  const r = q.data;
  const stationName = user.stations.find((s) => s.id === r.stationId)?.name ?? '';

  return (
    <div className="xq-page xq-cf" data-testid="consent-form-page">
      <div className="xq-cf-toolbar">
        {back}
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="consent-form-print">
          {t('consents.printPage.print')}
        </Button>
      </div>
      <Alert className="xq-cf-hint" type="info" showIcon title={t('consents.printPage.hint')} style={{ marginBottom: 12 }} />
      <ConsentForm r={r} stationName={stationName} today={new Date()} />
    </div>
  );
}
