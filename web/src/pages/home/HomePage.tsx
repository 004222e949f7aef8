import { Card, Col, Row, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUser } from '../../app/auth';
import { modulesFor } from '../../app/modules';
import { useCurrentStation } from '../../app/station';
import { RoleTags } from '../../components/roles';
import { TodoTiles } from './TodoTiles';

/** 工作台: who you are, where you work, what is waiting today (staff), what you can open. No made-up numbers. */
export function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const station = useCurrentStation(user);
  const modules = modulesFor(user.modules).filter((m) => m.id !== 'home');
  const staff = user.roles.some((r) => r.role === 'social_worker' || r.role === 'station_head');
  return (
    <div className="xq-page">
      <Card className="xq-welcome" data-testid="home-welcome">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: user.displayName })}
        </Typography.Title>
        <div className="xq-welcome-line">
          <span className="xq-muted">{t('home.roles')}</span>
          <RoleTags roles={user.roles} />
        </div>
        <div className="xq-welcome-line">
          <span className="xq-muted">{t('home.station')}</span>
          <span>{station?.name ?? t('home.noStation')}</span>
        </div>
      </Card>
      {staff && <TodoTiles />}
      <Typography.Title level={4}>{t('home.modules')}</Typography.Title>
      {modules.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('home.noModules')}</Typography.Paragraph>
      ) : (
        <Row gutter={[16, 16]}>
          {modules.map((m) => (
            <Col key={m.id} xs={24} sm={12} lg={8}>
              <Link to={m.path} data-testid={`home-card-${m.id}`} className="xq-module-link">
                <Card hoverable>
                  <Card.Meta
                    avatar={<span className="xq-module-icon">{m.icon}</span>}
                    title={
                      <span>
                        {t(`modules.${m.id}`)} <RightOutlined aria-hidden style={{ fontSize: 12 }} />
                      </span>
                    }
                    description={t(`moduleDesc.${m.id}`)}
                  />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
