import { Form, Input, Radio } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SetupValues } from './setupTypes';

export function StationStep({ form }: { form: FormInstance<SetupValues> }) {
  const { t } = useTranslation();
  const model = Form.useWatch('operatorModel', form);
  return (
    <>
      <Form.Item name="stationName" label={t('setup.stationName')} rules={[{ required: true, whitespace: true }]}>
        <Input data-testid="setup-station-name" maxLength={60} />
      </Form.Item>
      <Form.Item name="operatorModel" label={t('setup.operatorModel')} rules={[{ required: true }]}>
        <Radio.Group
          data-testid="setup-operator-model"
          options={[
            { value: 'government', label: t('operatorModel.government') },
            { value: 'ngo', label: t('operatorModel.ngo') },
          ]}
        />
      </Form.Item>
      {model === 'ngo' && (
        <Form.Item
          name="operatorName"
          label={t('setup.operatorName')}
          extra={t('setup.operatorNameHint')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input data-testid="setup-operator-name" maxLength={100} />
        </Form.Item>
      )}
    </>
  );
}
