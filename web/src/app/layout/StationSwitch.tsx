import { Select, Typography } from 'antd';
import { BankOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useUser } from '../auth';
import { selectStation, useCurrentStation } from '../station';

/** Current station: plain text for one, a select when the user serves several. */
export function StationSwitch() {
  const { t } = useTranslation();
  const user = useUser();
  const current = useCurrentStation(user);
  if (!current) return null;
  if (user.stations.length === 1) {
    return (
      <Typography.Text className="xq-station" ellipsis title={current.name} data-testid="station-name">
        <BankOutlined aria-hidden /> {current.name}
      </Typography.Text>
    );
  }
  return (
    <Select
      className="xq-station-select"
      aria-label={t('header.station')}
      data-testid="station-select"
      value={current.id}
      onChange={selectStation}
      options={user.stations.map((s) => ({ value: s.id, label: s.name }))}
      popupMatchSelectWidth={false}
    />
  );
}
