import { useEffect, useMemo, useState } from 'react';
import type { OrganiserState } from '../../server/api/contract.ts';
import { createApi } from './api/client.ts';
import { AppProvider, useApi, useT } from './app-context.tsx';
import type { StringKey } from './i18n.ts';
import { Album } from './screens/album.tsx';
import { Guests } from './screens/guests.tsx';
import { Home } from './screens/home.tsx';
import { Library } from './screens/library.tsx';
import { Rehearsal } from './screens/rehearsal.tsx';
import { Settings } from './screens/settings.tsx';
import { SetupWizard } from './screens/setup-wizard.tsx';

type Screen = 'home' | 'library' | 'guests' | 'album' | 'rehearsal' | 'settings';
/** The tabs, in order: the nav is built from this list. */
const SCREENS: readonly { readonly screen: Screen; readonly label: StringKey }[] = [
  { screen: 'home', label: 'home' },
  { screen: 'library', label: 'library' },
  { screen: 'guests', label: 'guests' },
  { screen: 'album', label: 'album' },
  { screen: 'rehearsal', label: 'tryCall' },
  { screen: 'settings', label: 'settings' },
];

/** The organiser's window: setup on first run, then home and settings. */
export function OrganiserWindow() {
  const api = useMemo(createApi, []);
  const [state, setState] = useState<OrganiserState | null>(null);
  useEffect(() => api.subscribe(setState), [api]);
  useEffect(() => {
    if (state) document.documentElement.lang = state.language;
  }, [state]);
  if (!state) return <main className="loading">…</main>;
  return (
    <AppProvider api={api} language={state.language}>
      {state.setup.done ? <Shell state={state} /> : <SetupWizard state={state} />}
    </AppProvider>
  );
}

/** The tab in the URL (#library), so a reload keeps it. */
function screenFromHash(): Screen {
  const wanted = window.location.hash.slice(1);
  return SCREENS.find((s) => s.screen === wanted)?.screen ?? 'home';
}

function Shell({ state }: { readonly state: OrganiserState }) {
  const api = useApi();
  const t = useT();
  const { language } = state;
  const [screen, setShown] = useState<Screen>(screenFromHash);
  useEffect(() => {
    const follow = () => setShown(screenFromHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const setScreen = (next: Screen) => {
    history.replaceState(null, '', `#${next}`);
    setShown(next);
  };
  return (
    <div className="shell">
      <header>
        <h1>{t('appName')}</h1>
        <nav>
          {SCREENS.map(({ screen: s, label }) => (
            <button key={s} type="button" className={screen === s ? 'tab current' : 'tab'} onClick={() => setScreen(s)}>
              {t(label)}
            </button>
          ))}
          <button type="button" className="tab" title={t('language')} lang={language === 'ja' ? 'en' : 'ja'} onClick={() => void api.call('setLanguage', { language: language === 'ja' ? 'en' : 'ja' })}>
            {language === 'ja' ? 'English' : '日本語'}
          </button>
        </nav>
      </header>
      {/* The phone panel stays mounted so a call survives switching tabs. */}
      <div hidden={screen !== 'rehearsal'}>
        <Rehearsal />
      </div>
      {screen === 'home' ? <Home state={state} /> : screen === 'library' ? <Library state={state} /> : screen === 'guests' ? <Guests state={state} /> : screen === 'album' ? <Album state={state} /> : screen === 'settings' ? <Settings state={state} /> : null}
    </div>
  );
}
