import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en, MessageKey, STATUS_NAMES, zhCN } from './messages';

export type Lang = 'en' | 'zh-CN';
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const KEY = 'aftersales.lang';

export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return format(DICTS[lang][key] ?? en[key] ?? key, params);
}

interface I18n {
  lang: Lang;
  // properties, not methods: views destructure them (`const { t } = useI18n()`) and none uses `this`
  setLang: (l: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** a case status in the user's language */
  status: (s: string) => string;
  time: (iso: string | number | null | undefined) => string;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.title');
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(KEY, l);
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      status: (s) => STATUS_NAMES[lang][s] ?? s,
      time: (v) => (v === null || v === undefined ? '—' : fmt.format(new Date(v))),
    };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
