/**
 * The small contract of what only Electron's main process can do for the core: the OS keychain,
 * the browser, notifications, folder dialogs, power events, and restarting the core (a restore
 * needs the replica closed). The core reaches it through the same `serve`/`connect` RPC the
 * renderer uses (over the utility process's port); the web host
 * implements it in plain Node, and tests with an in-process fake written against this contract.
 */
import { z } from 'zod';
import type { EventsApi } from './api';

const text = (max: number) => z.string().max(max);

export const mainInputs = {
  secrets: {
    seal: z.strictObject({ plaintext: text(64 * 1024) }),
    open: z.strictObject({ sealed: text(128 * 1024) }),
  },
  shell: {
    openExternal: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }) }),
  },
  notify: {
    show: z.strictObject({ title: text(200).min(1), body: text(2000) }),
  },
  dialog: {
    chooseFolder: z.strictObject({ title: text(200).optional() }),
  },
  system: {
    userName: z.strictObject({}),
  },
  app: {
    /** `restoreFrom`: a verified backup file to restore into the data dir before the core opens it again. */
    restart: z.strictObject({ restoreFrom: z.string().min(1).max(4096).optional() }),
  },
  events: {
    subscribe: z.strictObject({ event: z.enum(['power.resumed', 'power.suspended']), workspaceId: z.null().optional() }),
    unsubscribe: z.strictObject({ event: z.enum(['power.resumed', 'power.suspended']), workspaceId: z.null().optional() }),
  },
} as const;

type MainIn<NS extends keyof typeof mainInputs, M extends keyof (typeof mainInputs)[NS]> = (typeof mainInputs)[NS][M] extends z.ZodType
  ? z.input<(typeof mainInputs)[NS][M]>
  : never;

export interface MainApi {
  secrets: {
    /** Seals a secret with the OS keychain (safeStorage) or the host's key; only `open` reads it back. */
    seal(input: MainIn<'secrets', 'seal'>): Promise<{ sealed: string }>;
    open(input: MainIn<'secrets', 'open'>): Promise<{ plaintext: string }>;
  };
  shell: {
    /** Opens an http(s) address in the person's browser. */
    openExternal(input: MainIn<'shell', 'openExternal'>): Promise<void>;
  };
  notify: {
    show(input: MainIn<'notify', 'show'>): Promise<void>;
  };
  dialog: {
    /** Asks the person for a folder; null when they cancel (or where no dialog can be shown). */
    chooseFolder(input: MainIn<'dialog', 'chooseFolder'>): Promise<{ path: string | null }>;
  };
  system: {
    /** The person's account name on this computer (the display name's first guess); null if unknown. */
    userName(input: MainIn<'system', 'userName'>): Promise<{ name: string | null }>;
  };
  app: {
    /**
     * Closes the core and starts it again (on the same data dir), restoring `restoreFrom` first
     * when given. Resolves as soon as the host has accepted: the restart begins after the reply,
     * so the core can still answer the call that asked for it. UNAVAILABLE where the host cannot.
     */
    restart(input: MainIn<'app', 'restart'>): Promise<void>;
  };
  events: EventsApi<MainEventName>;
}

export interface MainEvents {
  /** The machine woke from sleep: reconnect now, catch up on what was due. */
  'power.resumed': { at: string };
  'power.suspended': { at: string };
}
export type MainEventName = keyof MainEvents;
export const mainEventNames = ['power.resumed', 'power.suspended'] as const satisfies readonly MainEventName[];
