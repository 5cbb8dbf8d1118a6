import { useEffect, useMemo, useState } from 'react';
import type { AppState } from '../../server/api/contract.ts';
import { createApi } from './api/client.ts';
import { t } from './i18n.ts';
import { Album } from './screens/album.tsx';
import { Guests } from './screens/guests.tsx';
import { gt } from './guests/guest-strings.ts';
import { Home } from './screens/home.tsx';
import { Library } from './screens/library.tsx';
import { Rehearsal } from './screens/rehearsal.tsx';
import { Settings } from './screens/settings.tsx';
import { SetupWizard } from './screens/setup-wizard.tsx';

/** The organiser's window: setup on first run, then home and settings. */
export function App() {
  const api = useMemo(createApi, []);
  const [state, setState] = useState<AppState | null>(null);
  const [screen, setScreen] = useState<'home' | 'library' | 'guests' | 'album' | 'rehearsal' | 'settings'>('home');
  useEffect(() => api.subscribe(setState), [api]);
  useEffect(() => {
    if (state) document.documentElement.lang = state.language;
  }, [state]);
  if (!state) return <main className="loading">…</main>;
  const { language } = state;
  if (!state.setup.done) return <SetupWizard api={api} state={state} />;
  return (
    <div className="shell">
      <header>
        <h1>{t(language, 'appName')}</h1>
        <nav>
          <button type="button" className={screen === 'home' ? 'tab current' : 'tab'} onClick={() => setScreen('home')}>
            {t(language, 'home')}
          </button>
          <button type="button" className={screen === 'library' ? 'tab current' : 'tab'} onClick={() => setScreen('library')}>
            {t(language, 'library')}
          </button>
          <button type="button" className={screen === 'guests' ? 'tab current' : 'tab'} onClick={() => setScreen('guests')}>
            {gt(language, 'guests')}
          </button>
          <button type="button" className={screen === 'album' ? 'tab current' : 'tab'} onClick={() => setScreen('album')}>
            {t(language, 'album')}
          </button>
          <button type="button" className={screen === 'rehearsal' ? 'tab current' : 'tab'} onClick={() => setScreen('rehearsal')}>
            {t(language, 'tryCall')}
          </button>
          <button type="button" className={screen === 'settings' ? 'tab current' : 'tab'} onClick={() => setScreen('settings')}>
            {t(language, 'settings')}
          </button>
          <button type="button" className="tab" title={t(language, 'language')} lang={language === 'ja' ? 'en' : 'ja'} onClick={() => void api.call('setLanguage', { language: language === 'ja' ? 'en' : 'ja' })}>
            {language === 'ja' ? 'English' : '日本語'}
          </button>
        </nav>
      </header>
      {/* The phone panel stays mounted so a call survives switching tabs. */}
      <div hidden={screen !== 'rehearsal'}>
        <Rehearsal api={api} state={state} />
      </div>
      {screen === 'home' ? <Home state={state} /> : screen === 'library' ? <Library api={api} state={state} /> : screen === 'guests' ? <Guests api={api} state={state} /> : screen === 'album' ? <Album api={api} state={state} /> : screen === 'settings' ? <Settings api={api} state={state} /> : null}
    </div>
  );
}
