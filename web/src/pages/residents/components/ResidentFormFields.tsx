import { useRef } from 'react';
import type { ReactNode } from 'react';
import { AutoComplete, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  certificateProblemMessage, DISABILITY_CATEGORY_LABELS, DISABILITY_GRADE_LABELS, idProblemMessage, MIN_BIRTH_DATE,
  parseDisabilityCertificate, phoneProblemMessage, validateIdNumber, validatePhone,
} from '../../../../../server/src/lib/identity';
import type { IdentityLocale } from '../../../../../server/src/lib/identity';
import type { Village } from '../../../api/types';
import { RiskTierTag } from '../../../components/RiskTierTag';
import type { ResidentDetailView } from './api';
import { guardianRequired, isChild, NO_HOUSEHOLD } from './formModel';
import type { ClearableField, ResidentFormValues } from './formModel';
import {
  CATEGORIES, genderOptions, LAWFUL_BASES, phoneRelationOptions, relationToHeadOptions, RISK_TIERS, statusOptions,
} from './options';
import { GuardianSelect, HouseholdSelect } from './pickers';

const MAX_PHONES = 5;
const DAY = 'YYYY-MM-DD';

/** DatePicker over a `YYYY-MM-DD` string value, so the form (and its draft) stays plain JSON. */
const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v, DAY) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format(DAY) : undefined),
};

const today = () => dayjs().format(DAY);

function SensitiveLabel({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <span>
      {children}{' '}
      <Tag color="gold" bordered={false} style={{ marginInlineStart: 4 }}>
        {t('residents.form.sensitive')}
      </Tag>
    </span>
  );
}

interface Props {
  form: FormInstance<ResidentFormValues>;
  resident: ResidentDetailView | null;
  villages: Village[];
  villagesLoading: boolean;
  idFilled: boolean;
  certificateAddedCategory: boolean;
  householdLabel?: string;
}

/** The sections of the resident form; validation as you type with the server's own validators. */
export function ResidentFormFields({ form, resident, villages, villagesLoading, idFilled, certificateAddedCategory, householdLabel }: Props) {
  const { t, i18n } = useTranslation();
  const loc: IdentityLocale = i18n.language.startsWith('en') ? 'en' : 'zh-CN';
  const editing = resident !== null;
  const idFocused = useRef(false);

  const idMode = Form.useWatch('idMode', form) ?? 'id';
  const birthDate = Form.useWatch('birthDate', form);
  const categories = Form.useWatch('categories', form) ?? [];
  const household = Form.useWatch('household', form) ?? NO_HOUSEHOLD;
  const villageId = Form.useWatch('villageId', form);
  const status = Form.useWatch('status', form) ?? 'active';
  const certificate = Form.useWatch('disabilityCertificate', form);
  const child = isChild(birthDate);
  const needGuardian = guardianRequired({ birthDate, categories });

  const keepHint = (current: string | null | undefined) =>
    editing ? (
      <span>
        {t('residents.form.keepBlank')}
        {current ? `；${t('residents.form.currentValue', { value: current })}` : ''}
      </span>
    ) : undefined;

  /** "删除已存内容": erase a stored sensitive value (shown only when one is stored). */
  const clearBox = (k: ClearableField, stored: boolean) =>
    editing && stored ? (
      <Form.Item name={['clear', k]} valuePropName="checked" style={{ marginTop: -8 }}>
        <Checkbox data-testid={`resident-clear-${k}`}>{t('residents.form.clearStored')}</Checkbox>
      </Form.Item>
    ) : null;

  const parsedCertificate = (() => {
    if (!certificate?.trim()) return null;
    const r = parseDisabilityCertificate(certificate);
    return r.ok
      ? t('residents.form.certificateParsed', { category: DISABILITY_CATEGORY_LABELS[r.category][loc], grade: DISABILITY_GRADE_LABELS[r.grade][loc] })
      : null;
  })();

  return (
    <>
      <Card title={t('residents.form.sectionBasic')} size="small">
        <div className="xq-res-grid">
          <Form.Item
            name="name"
            label={t('residents.field.name')}
            rules={[{ required: true, whitespace: true, message: t('residents.form.nameRequired') }, { max: 50 }]}
          >
            <Input maxLength={50} autoComplete="off" data-testid="resident-name-input" />
          </Form.Item>
          <Form.Item name="gender" label={t('residents.field.gender')} rules={[{ required: true, message: t('residents.form.genderRequired') }]}>
            <Radio.Group options={genderOptions(t)} optionType="button" data-testid="resident-gender" />
          </Form.Item>
          <Form.Item
            name="birthDate"
            label={t('residents.field.birthDate')}
            {...dateProps}
            rules={[
              { required: true, message: t('residents.form.birthDateRequired') },
              {
                validator: async (_r, v: string | undefined) => {
                  if (v && v > today()) throw new Error(t('residents.form.birthDateFuture'));
                },
              },
            ]}
          >
            <DatePicker
              style={{ width: '100%' }}
              format={DAY}
              placeholder={t('residents.form.birthDatePlaceholder')}
              minDate={dayjs(MIN_BIRTH_DATE)}
              maxDate={dayjs()}
              data-testid="resident-birthdate"
            />
          </Form.Item>
          <Form.Item name="idMode" label={t('residents.field.idMode')}>
            <Radio.Group
              optionType="button"
              data-testid="resident-id-mode"
              options={[
                { value: 'id', label: t('residents.form.hasId') },
                { value: 'none', label: t('residents.form.noId') },
              ]}
            />
          </Form.Item>
          {idMode === 'id' ? (
            <Form.Item
              className="xq-span-all"
              name="idNumber"
              label={<SensitiveLabel>{t('residents.field.idNumber')}</SensitiveLabel>}
              dependencies={['birthDate', 'gender']}
              validateTrigger={['onChange', 'onBlur']}
              extra={keepHint(resident?.idNumberMasked) ?? (idFilled ? t('residents.form.idFilled') : undefined)}
              rules={[
                {
                  validator: async (_r, value: string | undefined) => {
                    const v = value?.trim() ?? '';
                    if (!v) {
                      // Editing: blank keeps the number on file (unless there is none yet).
                      if (editing && resident?.idNumberMasked) return;
                      throw new Error(idProblemMessage('empty', loc));
                    }
                    const { birthDate: b, gender } = form.getFieldsValue(['birthDate', 'gender']) as ResidentFormValues;
                    const r = validateIdNumber(v, { ...(b ? { birthDate: b } : {}), ...(gender ? { gender } : {}) });
                    if (r.ok) return;
                    // Still typing the digits: the length is not an error yet.
                    if (r.problem === 'length' && idFocused.current && v.replace(/\s/g, '').length < 18) return;
                    throw new Error(idProblemMessage(r.problem, loc));
                  },
                },
              ]}
            >
              <Input
                maxLength={30}
                inputMode="text"
                autoComplete="off"
                className="xq-mono"
                placeholder={editing ? t('residents.form.keepBlank') : undefined}
                onFocus={() => (idFocused.current = true)}
                onBlur={() => (idFocused.current = false)}
                data-testid="resident-id-input"
              />
            </Form.Item>
          ) : (
            <Form.Item
              className="xq-span-all"
              name="noIdReason"
              label={t('residents.field.noIdReason')}
              rules={[{ required: true, whitespace: true, message: t('residents.form.noIdReasonRequired') }, { max: 200 }]}
            >
              <AutoComplete
                options={(['notIssued', 'elsewhere', 'lost', 'foreign'] as const).map((k) => ({ value: t(`residents.form.noIdReasons.${k}`) }))}
                placeholder={t('residents.form.noIdReasonPlaceholder')}
                data-testid="resident-no-id-reason"
              />
            </Form.Item>
          )}
        </div>
      </Card>

      <Card title={<SensitiveLabel>{t('residents.form.sectionContact')}</SensitiveLabel>} size="small">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('residents.form.phonesHint')}
          {editing && resident && resident.phones.length > 0 && (
            <>
              <br />
              {t('residents.form.phonesReplace', {
                phones: resident.phones.map((p) => `${p.numberMasked}${t('residents.paren', { text: t(`residents.phoneRelation.${p.relation}`) })}`).join('、'),
              })}
            </>
          )}
        </Typography.Paragraph>
        <Form.List name="phones">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div className="xq-res-phone" key={f.key} data-testid="resident-phone-row">
                  <Form.Item
                    name={[f.name, 'number']}
                    label={i === 0 ? t('residents.field.phoneNumber') : undefined}
                    aria-label={t('residents.field.phoneNumber')}
                    rules={[
                      {
                        validator: async (_r, v: string | undefined) => {
                          if (!v?.trim()) return;
                          const r = validatePhone(v);
                          if (!r.ok) throw new Error(phoneProblemMessage(r.problem, loc));
                        },
                      },
                    ]}
                  >
                    <Input inputMode="tel" autoComplete="off" maxLength={40} className="xq-mono" data-testid={`resident-phone-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'relation']} label={i === 0 ? t('residents.field.phoneRelation') : undefined}>
                    <Select options={phoneRelationOptions(t)} aria-label={t('residents.field.phoneRelation')} />
                  </Form.Item>
                  <Form.Item label={i === 0 ? ' ' : undefined}>
                    <Button icon={<DeleteOutlined />} aria-label={t('residents.form.removePhone')} onClick={() => remove(f.name)} />
                  </Form.Item>
                </div>
              ))}
              {fields.length < MAX_PHONES && (
                <Button icon={<PlusOutlined />} onClick={() => add({ relation: fields.length === 0 ? 'self' : 'son' })} data-testid="resident-add-phone">
                  {t('residents.form.addPhone')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        {/* Outside the list: a Form.Item inside Form.List would be named relative to it. */}
        {editing && resident && resident.phones.length > 0 && (
          <Form.Item name="clearPhones" valuePropName="checked" style={{ marginTop: 8, marginBottom: 0 }}>
            <Checkbox data-testid="resident-clear-phones">{t('residents.form.clearPhones')}</Checkbox>
          </Form.Item>
        )}
      </Card>

      <Card title={t('residents.form.sectionResidence')} size="small">
        <div className="xq-res-grid">
          <Form.Item name="villageId" label={t('residents.field.village')} rules={[{ required: true, message: t('residents.form.villageRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={villagesLoading}
              options={villages.map((v) => ({ value: v.id, label: v.name }))}
              data-testid="resident-village"
            />
          </Form.Item>
          <Form.Item name="household" label={t('residents.field.household')} extra={t('residents.form.householdSearch')}>
            <HouseholdSelect villageId={villageId} initialLabel={householdLabel} />
          </Form.Item>
          {household !== NO_HOUSEHOLD && (
            <Form.Item
              name="relationToHead"
              label={t('residents.field.relationToHead')}
              rules={[{ required: true, message: t('residents.form.relationRequired') }]}
            >
              <Select options={relationToHeadOptions(t)} data-testid="resident-relation" />
            </Form.Item>
          )}
          <Form.Item
            className="xq-span-all"
            name="address"
            label={<SensitiveLabel>{t('residents.field.address')}</SensitiveLabel>}
            extra={keepHint(resident?.addressMasked)}
            rules={[{ max: 200 }]}
          >
            <Input maxLength={200} placeholder={editing ? t('residents.form.keepBlank') : t('residents.form.addressPlaceholder')} data-testid="resident-address" />
          </Form.Item>
          {clearBox('address', !!resident?.addressMasked)}
        </div>
      </Card>

      <Card title={t('residents.form.sectionCategory')} size="small">
        <Form.Item name="categories" label={t('residents.field.categories')} className="xq-res-categories">
          <Checkbox.Group options={CATEGORIES.map((c) => ({ value: c, label: t(`residents.category.${c}`) }))} data-testid="resident-categories" />
        </Form.Item>
        <Form.Item name="riskTier" label={t('residents.field.riskTier')} rules={[{ required: true, message: t('residents.form.riskTierRequired') }]}>
          <Radio.Group data-testid="resident-risk">
            <Space orientation="vertical">
              {RISK_TIERS.map((r) => (
                <Radio key={r} value={r}>
                  <RiskTierTag tier={r} /> <span className="xq-muted">{t(`residents.riskHint.${r}`)}</span>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="disabilityCertificate"
          label={<SensitiveLabel>{t('residents.field.disabilityCertificate')}</SensitiveLabel>}
          dependencies={['idNumber']}
          extra={
            [
              parsedCertificate,
              certificateAddedCategory ? t('residents.form.certificateAddsCategory') : null,
              editing ? keepHint(resident?.disability?.certificateMasked) : null,
            ]
              .filter(Boolean)
              .map((x, i) => <div key={i}>{x}</div>)
          }
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (!v?.trim()) return;
                const id = form.getFieldValue('idNumber') as string | undefined;
                const idOk = id ? validateIdNumber(id) : null;
                const r = parseDisabilityCertificate(v, idOk?.ok ? idOk.normalized : undefined);
                if (!r.ok) throw new Error(certificateProblemMessage(r.problem, loc));
              },
            },
          ]}
        >
          <Input maxLength={30} autoComplete="off" className="xq-mono" placeholder={editing ? t('residents.form.keepBlank') : undefined} data-testid="resident-certificate" />
        </Form.Item>
        {clearBox('disabilityCertificate', !!resident?.disability)}
      </Card>

      <Card title={t('residents.form.sectionNotes')} size="small">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('residents.form.sensitiveHint')}
        </Typography.Paragraph>
        <Form.Item
          name="healthNotes"
          label={<SensitiveLabel>{t('residents.field.healthNotes')}</SensitiveLabel>}
          extra={editing && resident?.hasHealthNotes ? t('residents.form.keepBlank') : undefined}
          rules={[{ max: 2000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('residents.form.healthPlaceholder')} data-testid="resident-health" />
        </Form.Item>
        {clearBox('healthNotes', !!resident?.hasHealthNotes)}
        <Form.Item
          name="incomeNotes"
          label={<SensitiveLabel>{t('residents.field.incomeNotes')}</SensitiveLabel>}
          extra={editing && resident?.hasIncomeNotes ? t('residents.form.keepBlank') : undefined}
          rules={[{ max: 2000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('residents.form.incomePlaceholder')} data-testid="resident-income" />
        </Form.Item>
        {clearBox('incomeNotes', !!resident?.hasIncomeNotes)}
      </Card>

      {child && (
        <Card title={t('residents.form.sectionGuardian')} size="small" data-testid="resident-guardian-section">
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            {t('residents.form.guardianHint')}
          </Typography.Paragraph>
          <Form.Item
            name="guardianResidentId"
            label={t('residents.field.guardian')}
            dependencies={['categories', 'birthDate']}
            rules={[{ required: needGuardian, message: t('residents.form.guardianRequired') }]}
          >
            <GuardianSelect excludeId={resident?.id} initialLabel={resident?.guardian?.name} />
          </Form.Item>
        </Card>
      )}

      <Card title={t('residents.form.sectionLawful')} size="small">
        <Form.Item name="lawfulBasis" label={t('residents.field.lawfulBasis')} rules={[{ required: true, message: t('residents.form.lawfulBasisRequired') }]}>
          <Radio.Group data-testid="resident-lawful-basis">
            <Space orientation="vertical">
              {LAWFUL_BASES.map((b) => (
                <Radio key={b} value={b}>
                  <span>{t(`residents.lawfulBasis.${b}`)}</span>
                  <Typography.Text type="secondary" className="xq-small" style={{ display: 'block' }}>
                    {t(`residents.lawfulBasisHint.${b}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
      </Card>

      <Card title={t('residents.form.sectionStatus')} size="small">
        <div className="xq-res-grid">
          <Form.Item name="status" label={t('residents.field.status')}>
            <Select options={statusOptions(t)} data-testid="resident-status" />
          </Form.Item>
          {status !== 'active' && (
            <Form.Item
              name="statusDate"
              label={t('residents.field.statusDate')}
              {...dateProps}
              rules={[{ required: true, message: t('residents.form.statusDateRequired') }]}
            >
              <DatePicker style={{ width: '100%' }} format={DAY} maxDate={dayjs()} data-testid="resident-status-date" />
            </Form.Item>
          )}
        </div>
      </Card>
    </>
  );
}
