import { Route, Routes } from 'react-router';
import { useUser } from '../../app/auth';
import { sideOf } from './api';
import { Board } from './Board';
import { MyRequests } from './MyRequests';
import { MyTasks } from './MyTasks';
import { NewRequest } from './NewRequest';
import { RaiseNeed } from './RaiseNeed';
import { RequestDetail } from './RequestDetail';
import './requests.css';

/**
 * 服务需求: the staff triage board, a volunteer's tasks, or a resident's own needs; one request at
 * /requests/:id and a new one at /requests/new, each shaped by who is looking.
 */
export function RequestsPage() {
  const side = sideOf(useUser());
  return (
    <Routes>
      <Route index element={side === 'staff' ? <Board /> : side === 'volunteer' ? <MyTasks /> : <MyRequests />} />
      <Route path="new" element={side === 'staff' ? <NewRequest /> : <RaiseNeed />} />
      <Route path=":id" element={<RequestDetail side={side} />} />
    </Routes>
  );
}
