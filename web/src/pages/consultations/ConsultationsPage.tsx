import { Route, Routes } from 'react-router';
import { useUser } from '../../app/auth';
import { isStaffUser } from '../appointments/AppointmentsPage';
import { AskPage } from './AskPage';
import { Inbox } from './Inbox';
import { MyConsultations } from './MyConsultations';
import { ThreadPage } from './ThreadPage';
import './consultations.css';

/** 咨询: the station's inbox for staff; "my questions" and asking for a resident account. */
export function ConsultationsPage() {
  const user = useUser();
  const staff = isStaffUser(user);
  return (
    <Routes>
      <Route index element={staff ? <Inbox /> : <MyConsultations />} />
      <Route path="ask" element={<AskPage />} />
      <Route path=":id" element={<ThreadPage />} />
    </Routes>
  );
}
