export type Missing<K extends string> = { ok: false; missing: K; reason: string };
export function findElectronBinary(): { ok: true; path: string } | Missing<'binary'>;
export function findDisplay(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): { ok: true } | Missing<'display'>;
export function canRunDesktop(): { ok: true; path: string } | Missing<'binary' | 'display'>;
export function describeMissing(missing: 'binary' | 'display'): string;
