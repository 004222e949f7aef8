import { Route, Routes } from 'react-router';
import { useUser } from '../../app/auth';
import { isStaffUser } from '../appointments/AppointmentsPage';
import { RatePage } from './RatePage';
import { ItemForm, MyItems, ResidentHome } from './ResidentFeedback';
import { StaffFeedback } from './StaffFeedback';
import './feedback.css';

/**
 * 评价与投诉. Residents: what to rate, a rating page, the suggestion/complaint form and their own
 * submissions. Staff: follow-up calls, complaints, suggestions and satisfaction, one tab each.
 */
export function FeedbackPage() {
  const user = useUser();
  const staff = isStaffUser(user);
  return (
    <Routes>
      <Route path="rate/:serviceRecordId" element={<RatePage />} />
      {staff ? (
        <>
          <Route index element={<StaffFeedback />} />
          <Route path=":tab" element={<StaffFeedback />} />
        </>
      ) : (
        <>
          <Route index element={<ResidentHome />} />
          <Route path="new" element={<ItemForm />} />
          <Route path="mine" element={<MyItems />} />
          <Route path="*" element={<ResidentHome />} />
        </>
      )}
    </Routes>
  );
}
