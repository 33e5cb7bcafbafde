import { lazy, Suspense, useEffect, useState } from 'react';
import { ScaledCanvas } from './components/ScaledCanvas.tsx';
import { ChangePassword, Login } from './pages/Login.tsx';
import { Pairing } from './pages/Pairing.tsx';
import { Wall } from './pages/Wall.tsx';
import { useSession } from './state/session.ts';

// Two faces of one app: the wall (default) and the desk console of the six supervision
// dimensions (`#/console`), loaded only when opened.
const Console = lazy(() => import('./console/index.tsx').then((m) => ({ default: m.Console })));

const onConsole = () => window.location.hash.startsWith('#/console');

export function App() {
  const user = useSession((s) => s.user);
  const [consoleView, setConsoleView] = useState(onConsole);
  useEffect(() => {
    const follow = () => setConsoleView(onConsole());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return (
    <ScaledCanvas>
      {!user ? (
        consoleView ? (
          <Login />
        ) : (
          // The wall's address on a machine with neither a session nor a display credential:
          // a person signs in, or the wall is paired as a display (issue 12).
          <div className="entry">
            <Login />
            <Pairing />
          </div>
        )
      ) : user.display ? (
        <Wall />
      ) : user.must_change_password ? (
        <ChangePassword />
      ) : consoleView ? (
        <Suspense fallback={<div className="no-data">加载中…</div>}>
          <Console />
        </Suspense>
      ) : (
        <Wall />
      )}
    </ScaledCanvas>
  );
}
