import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './App.tsx';
import { useSession } from './auth.ts';
import { createClient } from './client.ts';
import { I18nProvider } from './i18n/I18n.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');

/** A new client (and cache) whenever the signed-in identity changes: what one may see differs by role. */
function Root() {
  const token = useSession()?.token ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the token is read by the client; a new one means a new cache
  const client = useMemo(() => createClient(), [token]);
  return (
    <Provider value={client}>
      <App />
    </Provider>
  );
}

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <Root />
    </I18nProvider>
  </StrictMode>,
);
