/**
 * Settings → Webhooks in Chromium: add an endpoint pointing at a loopback receiver started here,
 * copy the secret shown once, send a test event, and see it delivered in the endpoint's delivery
 * log; the receiver verified its signature with `standardwebhooks` (not our code).
 */
import { Webhook } from 'standardwebhooks';
import { startReceiver } from '../../src-main/core/webhooks/testing/loopback-receiver';
import { startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('add an endpoint, send a test event, see it in the delivery log', async ({ page, webHost }) => {
  const receiver = await startReceiver();
  try {
    await startWebsiteProject(page, webHost.url);
    await page.getByRole('button', { name: /^Settings:/ }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Webhooks' }).click();

    const form = settings.getByRole('form', { name: 'Add an endpoint' });
    // Plain http is refused beside the field, except for localhost.
    await form.getByLabel('Endpoint URL').fill('http://example.com/hooks');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(form.getByLabel('Endpoint URL')).toHaveAccessibleDescription(/https/);

    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('Description').fill('CI receiver');
    await form.getByRole('checkbox', { name: 'project.created' }).check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    const secretPanel = settings.getByRole('region', { name: 'Signing secret' });
    const secret = (await secretPanel.getByLabel('Secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await secretPanel.getByRole('button', { name: 'Done' }).click();
    await expect(secretPanel).toHaveCount(0);

    const endpoints = settings.getByRole('region', { name: 'Webhook endpoints' });
    const endpoint = endpoints.getByRole('listitem', { name: receiver.url });
    await expect(endpoint).toContainText('CI receiver');
    await expect(endpoint).toContainText('project.created');
    await expect(endpoint.getByRole('checkbox', { name: 'Enabled' })).toBeChecked();
    await endpoint.getByRole('button', { name: 'Send test event' }).click();

    const [got] = await receiver.waitFor(1);
    const verified = new Webhook(secret).verify(got!.body, got!.headers) as { type: string };
    expect(verified.type).toBe('webhook.test');

    const log = settings.getByRole('region', { name: `Deliveries to ${receiver.url}` });
    const row = log.getByRole('row').filter({ hasText: 'webhook.test' });
    // The request as sent: the signed body, its webhook-id.
    await row.getByText('webhook.test', { exact: true }).click();
    await expect(row).toContainText(got!.id);
    await expect(row).toContainText('A test event from Groundwork.');
    await expect(row).toContainText('delivered');
    await expect(row).toContainText('204');
    await expect(row.getByRole('cell').nth(3)).toHaveText('1');
    // The secret is not shown again.
    await expect(settings.getByText(secret)).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});
