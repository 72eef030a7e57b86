/**
 * Invite links the desktop app is opened with (a click on `groundwork://join?…` anywhere on the
 * machine). Main has checked each is an invite; here it only becomes something to pre-fill —
 * joining always waits for the person to confirm. In a plain browser nothing ever arrives.
 */
type Listener = (invite: string) => void;

const listeners = new Set<Listener>();
let subscribed = false;
/** One that came while nobody listened (the preload hands over an early one on subscribing). */
let unclaimed: string | null = null;

function deliver(invite: string) {
  if (listeners.size === 0) {
    unclaimed = invite;
    return;
  }
  for (const listener of listeners) listener(invite);
}

/** Listens for invite links; the bridge is subscribed once, however many listeners there are. */
export function onInviteLink(listener: Listener): () => void {
  listeners.add(listener);
  if (!subscribed) {
    subscribed = true;
    // Asynchronously: a listener may be added while the store that handles invites is being built.
    window.groundwork?.onInvite?.((invite) => queueMicrotask(() => deliver(invite)));
  }
  if (unclaimed !== null) {
    const invite = unclaimed;
    unclaimed = null;
    queueMicrotask(() => deliver(invite));
  }
  return () => void listeners.delete(listener);
}
