import { ScaledCanvas } from './components/ScaledCanvas.tsx';
import { ChangePassword, Login } from './pages/Login.tsx';
import { Wall } from './pages/Wall.tsx';
import { useSession } from './state/session.ts';

export function App() {
  const user = useSession((s) => s.user);
  return <ScaledCanvas>{!user ? <Login /> : user.must_change_password ? <ChangePassword /> : <Wall />}</ScaledCanvas>;
}
