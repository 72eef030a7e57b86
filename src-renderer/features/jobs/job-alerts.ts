/**
 * A job that failed after its retries (and its recovery) is told once per streak: the core marks
 * that `jobs` event with `alert` and asks main to notify. The desktop app's main shows an OS
 * notification and this window a toast. In the web host, main's notification reaches the page as
 * the `notification` event (already a toast, live-updates.ts); here it also becomes the browser's
 * Notification, once the person allowed it — asked for by a button on the Jobs page, never on load.
 */
import type { JobEvent } from '../../../src-main/contract';
import { toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

const isDesktop = () => Boolean(window.groundwork?.isDesktop);

/** 'unsupported' where the page has no Notification API (or is the desktop app, which uses the OS's). */
export type NotificationPermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  if (isDesktop() || typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (notificationPermission() === 'unsupported') return 'unsupported';
  return Notification.requestPermission();
}

export function alertJob(event: JobEvent): void {
  const store = useAppStore.getState();
  const name = store.jobs.find((j) => j.id === event.jobId)?.name ?? 'A job';
  const failed = event.alert === 'failed';
  const title = failed ? `Job failed: ${name}` : `Job recovered: ${name}`;
  const body = failed ? (event.execution.error ?? 'It failed after its retries.') : 'It succeeded again.';
  const show = () => store.openJobs(event.jobId);
  if (isDesktop()) {
    toastInfo(`${title}: ${body}`, { label: 'Show', run: show });
    return;
  }
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, { body, tag: `job-${event.jobId}` });
    notification.onclick = () => {
      window.focus();
      show();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the toast still tells it.
  }
}
