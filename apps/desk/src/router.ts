import { useEffect, useState } from 'react';

/** Hash routes (`#/cases/<id>`): the desk server serves one page, deep links survive a reload. */
export type Route =
  | { name: 'call'; voicemailId?: string }
  | { name: 'voicemail' }
  | { name: 'queues' }
  | { name: 'case'; id: string }
  | { name: 'board' }
  | { name: 'spares' }
  | { name: 'portal' }
  | { name: 'portal-case'; id: string }
  | { name: 'home' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const q = new URLSearchParams(query);
  switch (parts[0]) {
    case 'call':
      return { name: 'call', voicemailId: q.get('voicemail') ?? undefined };
    case 'voicemail':
      return { name: 'voicemail' };
    case 'queues':
      return { name: 'queues' };
    case 'cases':
      return parts[1] ? { name: 'case', id: parts[1] } : { name: 'queues' };
    case 'board':
      return { name: 'board' };
    case 'spares':
      return { name: 'spares' };
    case 'portal':
      return parts[1] === 'cases' && parts[2] ? { name: 'portal-case', id: parts[2] } : { name: 'portal' };
    default:
      return { name: 'home' };
  }
}

export function go(hash: string): void {
  location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
