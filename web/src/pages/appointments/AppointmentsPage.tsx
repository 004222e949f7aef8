import { useUser } from '../../app/auth';
import { MyAppointments } from './MyAppointments';
import { StaffCalendar } from './StaffCalendar';
import './appointments.css';

const STAFF = new Set(['social_worker', 'station_head']);

export const isStaffUser = (user: { roles: { role: string }[] }) => user.roles.some((r) => STAFF.has(r.role));

/** 预约: the station's calendar for staff; a resident's own appointments for a resident account. */
export function AppointmentsPage() {
  const user = useUser();
  return isStaffUser(user) ? <StaffCalendar /> : <MyAppointments />;
}
