import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  CalendarOutlined,
  CommentOutlined,
  CarOutlined,
  SmileOutlined,
  SolutionOutlined,
  IdcardOutlined,
  ProfileOutlined,
  ScheduleOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';

export interface ModuleDef {
  id: string;
  path: string;
  icon: ReactNode;
}

/** Sidebar entries; the server decides which ones a user gets (`user.modules`). */
export const MODULES: readonly ModuleDef[] = [
  { id: 'home', path: '/', icon: <HomeOutlined /> },
  { id: 'residents', path: '/residents', icon: <IdcardOutlined /> },
  { id: 'appointments', path: '/appointments', icon: <CalendarOutlined /> },
  { id: 'consultations', path: '/consultations', icon: <CommentOutlined /> },
  { id: 'requests', path: '/requests', icon: <SolutionOutlined /> },
  { id: 'visits', path: '/visits', icon: <CarOutlined /> },
  { id: 'service_records', path: '/service-records', icon: <ProfileOutlined /> },
  { id: 'feedback', path: '/feedback', icon: <SmileOutlined /> },
  { id: 'services', path: '/services', icon: <ScheduleOutlined /> },
  { id: 'villages', path: '/villages', icon: <EnvironmentOutlined /> },
  { id: 'users', path: '/users', icon: <TeamOutlined /> },
  { id: 'organisation', path: '/organisation', icon: <ApartmentOutlined /> },
  { id: 'audit', path: '/audit', icon: <AuditOutlined /> },
  { id: 'privacy', path: '/privacy', icon: <SafetyCertificateOutlined /> },
];

/** The user's modules in menu order; ids this build does not know are skipped. */
export function modulesFor(ids: readonly string[]): ModuleDef[] {
  const allowed = new Set(ids);
  return MODULES.filter((m) => allowed.has(m.id));
}

/** Which module a path belongs to (for the selected menu item). */
export function moduleForPath(pathname: string): ModuleDef | undefined {
  if (pathname === '/') return MODULES[0];
  return MODULES.find((m) => m.path !== '/' && (pathname === m.path || pathname.startsWith(`${m.path}/`)));
}
