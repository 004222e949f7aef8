import { Alert, Form, Select, Skeleton, Tag } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { SetupValues } from './setupTypes';
import { useDivisions } from './useDivisions';

const LEVELS = ['province', 'city', 'county', 'township'] as const;

/** Province → city → county → township, each list loaded when its parent is chosen. */
export function DivisionStep({ form, onTownship }: { form: FormInstance<SetupValues>; onTownship: (name: string) => void }) {
  const { t } = useTranslation();
  const province = Form.useWatch('province', form);
  const city = Form.useWatch('city', form);
  const county = Form.useWatch('county', form);
  const township = Form.useWatch('township', form);
  const lists = {
    province: useDivisions(undefined),
    city: useDivisions(province ?? null),
    county: useDivisions(city ?? null),
    township: useDivisions(county ?? null),
  };
  const villages = useDivisions(township ?? null);
  const error = LEVELS.map((l) => lists[l].error).find(Boolean) ?? villages.error;

  const clearBelow = (level: (typeof LEVELS)[number]) => {
    const below = LEVELS.slice(LEVELS.indexOf(level) + 1);
    form.setFieldsValue(Object.fromEntries(below.map((l) => [l, undefined])));
  };

  return (
    <>
      <ErrorAlert error={error} />
      {LEVELS.map((level) => {
        const q = lists[level];
        return (
          <Form.Item key={level} name={level} label={t(`setup.${level}`)} rules={[{ required: true, message: t('setup.choose') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={q.isFetching}
              disabled={!q.data}
              placeholder={t('setup.choose')}
              data-testid={`setup-${level}`}
              options={(q.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
              onChange={(code: string) => {
                clearBelow(level);
                if (level === 'township') {
                  const name = q.data?.items.find((d) => d.code === code)?.name;
                  if (name) onTownship(name);
                }
              }}
            />
          </Form.Item>
        );
      })}
      {township && (
        <div className="xq-village-preview" data-testid="setup-villages">
          {villages.isPending ? (
            <Skeleton active paragraph={{ rows: 2 }} />
          ) : (
            <>
              <Alert type="info" showIcon title={t('setup.villagesFound', { count: villages.data?.items.length ?? 0 })} />
              <div className="xq-village-tags">
                {(villages.data?.items ?? []).map((v) => (
                  <Tag key={v.code}>{v.name}</Tag>
                ))}
              </div>
            </>
          )}
        </div>
      )}
    </>
  );
}
