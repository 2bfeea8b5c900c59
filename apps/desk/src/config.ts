import type { OidcConfig } from './auth/pkce';

/** What the desk server says about sign-in (GET /desk-config.json). */
export interface DeskConfig {
  region: string;
  devSignIn: boolean;
  oidc: OidcConfig | null;
  /** the server pushes case changes (GET /live) */
  live: boolean;
}

export async function loadConfig(): Promise<DeskConfig> {
  const res = await fetch('/desk-config.json');
  if (!res.ok) throw new Error(`desk configuration: ${res.status}`);
  return res.json() as Promise<DeskConfig>;
}
