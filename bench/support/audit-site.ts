/**
 * A small, realistic site for the audit benches, served on 127.0.0.1 (the site-audit tests' own
 * test site): `count` clean pages, each a few paragraphs of text (~4 KB of HTML) with a title,
 * description, canonical, Open Graph tags, one h1, three images (each its own URL, so the browser
 * loads every one) and five links to other pages of the site.
 */
import { startTestSite, type TestSite } from '../../src-main/core/jobs/site-audit/testing/test-site';
import { startChildServer } from './child-server';

const paragraph =
  'Groundwork keeps the project plan, the tasks and the recurring checks of a client in one place. ' +
  'This page stands in for a typical marketing or documentation page: a heading, some paragraphs, ' +
  'a few pictures and links to the rest of the site.';

export async function startAuditSite(count: number): Promise<{ site: TestSite; urls: string[] }> {
  const path = (i: number) => `/page-${String(i + 1).padStart(3, '0')}`;
  const site = await startTestSite();
  for (let i = 0; i < count; i++) {
    site.page(path(i), {
      title: `Page ${i + 1} of the bench site`,
      description: `What page ${i + 1} is about, in one sentence.`,
      images: [1, 2, 3].map((n) => ({ src: `/logo.png?page=${i + 1}&image=${n}`, alt: `Picture ${n}` })),
      links: [1, 2, 3, 4, 5].map((n) => path((i + n * 7) % count)),
      body: Array.from({ length: 12 }, (_, n) => `<p>${n + 1}. ${paragraph}</p>`).join('\n'),
    });
  }
  return { site, urls: Array.from({ length: count }, (_, i) => site.url(path(i))) };
}

/** The same site served by a child process (child-server.ts): its requests cost the measured core's thread nothing (jobs-vs-people). */
export async function startAuditSiteProcess(count: number): Promise<{ urls: string[]; close(): Promise<void> }> {
  const { value: urls, close } = await startChildServer<string[]>(new URL('./audit-site-child.ts', import.meta.url), [String(count)], 'the audit site process');
  return { urls, close };
}
