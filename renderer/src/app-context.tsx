import { createContext, useContext, type ReactNode } from 'react';
import type { ApiError, Language, OrganiserApi } from '../../server/api/contract.ts';
import { errorText, t as translate, type StringKey } from './i18n.ts';

/**
 * What every screen needs and nobody should pass by hand: the organiser API and the app's
 * language (Mattermost Desktop's model: one provider at the root, a hook where it is used).
 */
const ApiContext = createContext<OrganiserApi | null>(null);
const LanguageContext = createContext<Language>('en');

/** Puts the API and the app's language in reach of every component below. */
export function AppProvider(props: { readonly api: OrganiserApi; readonly language: Language; readonly children: ReactNode }) {
  return (
    <ApiContext.Provider value={props.api}>
      <LanguageContext.Provider value={props.language}>{props.children}</LanguageContext.Provider>
    </ApiContext.Provider>
  );
}

/** The organiser API (IPC or HTTP, the component never knows which). */
export function useApi(): OrganiserApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <AppProvider>');
  return api;
}

/** The app's language (not the greetings' language: that is a line setting). */
export function useLanguage(): Language {
  return useContext(LanguageContext);
}

/** UI text in the app's language: `const t = useT(); t('save')`. */
export function useT(): (key: StringKey) => string {
  const language = useContext(LanguageContext);
  return (key) => translate(language, key);
}

/** An API error in the app's language. */
export function useErrorText(): (error: ApiError) => string {
  const language = useContext(LanguageContext);
  return (error) => errorText(language, error);
}
