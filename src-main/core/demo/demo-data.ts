/**
 * `--demo`: a realistic workspace (a small studio with three client projects, ~150 tasks across
 * every stage, with assignees, labels, estimates and due dates around today) loaded into an empty
 * replica through the public API, so it exercises the same path as a person clicking.
 */
import type { Api, Priority, Workspace } from '../../contract';

interface DemoProject {
  name: string;
  key: string;
  description: string;
  status: 'planning' | 'in_progress' | 'on_hold' | 'completed';
  clientName: string;
  tags: string[];
  color: string;
  favorite: boolean;
  deliverables: string[];
  labels: string[];
  tasks: string[];
}

const people = ['Ada Okafor', 'Ben Lindqvist', 'Chloé Martin', 'Dev Patel', 'Elena Rossi'];

const projects: DemoProject[] = [
  {
    name: 'Website Redesign',
    key: 'WEB',
    description: 'New marketing site for Northwind: faster pages, a clearer pricing story and a CMS the team can run alone.',
    status: 'in_progress',
    clientName: 'Northwind Traders — Maria Anders',
    tags: ['client', 'web'],
    color: '#6366f1',
    favorite: true,
    deliverables: ['Sitemap and content inventory', 'Design system in Figma', 'Launch on the new CMS', 'Redirects from old URLs'],
    labels: ['design', 'frontend', 'content', 'seo', 'bug'],
    tasks: [
      'Audit current site analytics', 'Interview sales about pricing questions', 'Draft new sitemap', 'Content inventory of 240 pages',
      'Moodboard for visual direction', 'Typography and colour tokens', 'Homepage hero variants', 'Pricing page layout',
      'Customer stories template', 'Blog index with filters', 'Navigation on mobile', 'Footer and legal pages',
      'Set up the headless CMS', 'Model content types', 'Migrate blog posts', 'Image pipeline with AVIF',
      'Lighthouse budget in CI', 'Fix layout shift on pricing cards', 'Cookie consent banner', 'Redirect map from old URLs',
      'Structured data for articles', 'Open Graph images', 'Contact form spam protection', 'Accessibility pass on forms',
      'Keyboard focus styles', 'Dark mode for docs pages', 'Search across docs', '404 page with suggestions',
      'Staging environment password', 'Load test the contact endpoint', 'Copy review with legal', 'Translate homepage to German',
      'Hreflang tags', 'Sitemap.xml generation', 'Analytics events for sign-ups', 'Broken links in the changelog',
      'Hero video compression', 'Launch checklist', 'Go-live communication plan', 'Post-launch SEO check',
      'Retire the old WordPress', 'Handover docs for the marketing team', 'Train editors on the CMS', 'Fix Safari sticky header bug',
      'Newsletter sign-up block', 'Case study: Contoso', 'Case study: Fabrikam', 'Team page photos', 'Careers page integration', 'Favicon set',
    ],
  },
  {
    name: 'Mobile App 2.0',
    key: 'APP',
    description: 'Offline-first rewrite of the field-service app: sync, photo capture, signatures and a faster start.',
    status: 'in_progress',
    clientName: 'Contoso Field Services — Jon Yang',
    tags: ['client', 'mobile'],
    color: '#10b981',
    favorite: false,
    deliverables: ['Offline sync engine', 'iOS and Android beta', 'App Store release'],
    labels: ['ios', 'android', 'sync', 'ux', 'bug'],
    tasks: [
      'Spike: local database options', 'Sync protocol design doc', 'Conflict resolution rules', 'Auth with refresh tokens',
      'Job list screen', 'Job detail screen', 'Photo capture with compression', 'Customer signature pad',
      'Offline queue for uploads', 'Background sync on Android', 'Background fetch on iOS', 'Push notifications for new jobs',
      'Map view of today\'s jobs', 'Route to next job', 'Time on site tracking', 'Parts used form',
      'Barcode scanner for parts', 'Crash reporting', 'Cold start under 1.5 s', 'Reduce APK size',
      'Accessibility: dynamic type', 'Dark mode', 'Localise to Spanish', 'Settings screen',
      'Log out clears local data', 'Encrypt the local store', 'Migration from app 1.x data', 'Beta program on TestFlight',
      'Play Store internal track', 'Fix photo rotation on Samsung', 'Fix double submit on slow network', 'Onboarding tour',
      'Empty states for job list', 'Pull to refresh', 'Battery usage audit', 'App Store screenshots',
      'Privacy nutrition labels', 'Release notes', 'Support playbook', 'Remote config for feature flags',
      'Analytics for job completion', 'Tablet layout', 'Signature PDF export', 'Retry policy for uploads',
      'Sync status indicator', 'Handle expired sessions offline', 'Unit tests for sync engine', 'E2E tests on device farm', 'Performance budget dashboard', 'Stakeholder demo',
    ],
  },
  {
    name: 'Q1 Product Launch',
    key: 'MKT',
    description: 'Launch campaign for the analytics add-on: positioning, launch page, webinar and partner outreach.',
    status: 'planning',
    clientName: 'Internal — Marketing',
    tags: ['internal', 'marketing'],
    color: '#f59e0b',
    favorite: false,
    deliverables: ['Positioning doc', 'Launch page live', 'Webinar with 200 sign-ups', 'Partner email kit'],
    labels: ['copy', 'design', 'events', 'partners'],
    tasks: [
      'Positioning workshop', 'Competitor teardown', 'Messaging house', 'Pricing and packaging proposal',
      'Launch page wireframe', 'Launch page copy', 'Product screenshots', 'Demo video script',
      'Record demo video', 'Webinar landing page', 'Webinar speakers', 'Webinar run-of-show',
      'Email sequence: announcement', 'Email sequence: nurture', 'Partner outreach list', 'Partner email kit',
      'Press release draft', 'Analyst briefings', 'Social media calendar', 'LinkedIn ads',
      'Sales enablement deck', 'FAQ for support', 'In-app announcement', 'Changelog entry',
      'Launch day war room', 'Post-launch survey', 'Metrics dashboard for launch', 'Budget tracking sheet',
      'Customer quotes', 'Beta customer case study', 'Blog post: why we built it', 'Docs: getting started',
      'Docs: API reference update', 'Pricing page update', 'Partner webinar', 'Community AMA',
      'Swag for webinar attendees', 'Translate launch page', 'Retrospective', 'Plan phase two',
      'Trial extension offer', 'Referral incentive', 'Launch page A/B test', 'Update product tour',
      'Podcast outreach', 'Award submissions', 'Holiday freeze plan', 'Ops readiness review', 'Legal review of claims', 'Board update',
    ],
  },
];

const priorities: Priority[] = ['low', 'normal', 'normal', 'normal', 'high', 'high', 'urgent'];

/** A tiny seeded generator, so every demo workspace looks the same. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Named so it is told apart from a person's own workspaces in the switcher. */
export const demoWorkspaceName = 'Northwind Studio (demo)';

/** Whether the demo was added now (false: it was already here), and the workspace, now current. */
export interface DemoResult {
  loaded: boolean;
  workspace: Workspace;
}

/**
 * Adds the demo workspace beside any others and makes it current. Once there (by its name), it
 * is switched to, not added again: starting with `--demo` twice must not make two demos.
 */
export async function loadDemoData(api: Api, today = new Date()): Promise<DemoResult> {
  const existing = (await api.workspaces.list()).find((w) => w.name === demoWorkspaceName);
  if (existing) return { loaded: false, workspace: await api.workspaces.switch({ id: existing.id }) };
  const random = seeded(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

  const workspace = await api.workspaces.create({ name: demoWorkspaceName });
  const members = [(await api.members.list({ workspaceId: workspace.id }))[0]!];
  for (const name of people) members.push(await api.members.create({ workspaceId: workspace.id, name }));

  for (const [index, demo] of projects.entries()) {
    const project = await api.projects.create({
      workspaceId: workspace.id,
      name: demo.name,
      key: demo.key,
      description: demo.description,
      status: demo.status,
      clientName: demo.clientName,
      startDate: addDays(today, -30 + index * 20),
      endDate: addDays(today, 60 + index * 30),
      deliverables: demo.deliverables.map((text, i) => ({ text, done: i === 0 })),
      tags: demo.tags,
      color: demo.color,
      favorite: demo.favorite,
      notes: `Kick-off held with ${demo.clientName.split('—')[1]?.trim() ?? 'the team'}. Weekly check-in on Thursdays.`,
    });
    const stages = await api.stages.list({ projectId: project.id });
    for (const [i, title] of demo.tasks.entries()) {
      // Earlier tasks in each list are further along, as in a real project.
      const progress = 1 - i / demo.tasks.length + (random() - 0.5) * 0.4;
      const stage = stages[Math.max(0, Math.min(stages.length - 1, Math.floor((1 - progress) * stages.length)))]!;
      const assignees = random() < 0.15 ? [] : [pick(members).id, ...(random() < 0.2 ? [pick(members).id] : [])];
      await api.tasks.create({
        projectId: project.id,
        stageId: stage.id,
        title,
        description: random() < 0.5 ? `${title}.\n\nAcceptance: reviewed by a teammate and noted in the changelog.` : '',
        priority: pick(priorities),
        assigneeIds: [...new Set(assignees)],
        labels: random() < 0.7 ? [pick(demo.labels)] : [],
        dueDate: random() < 0.6 ? addDays(today, Math.floor(random() * 50) - 10) : null,
        estimateHours: random() < 0.7 ? pick([1, 2, 3, 5, 8, 13]) : null,
      });
    }
  }
  return { loaded: true, workspace: await api.workspaces.switch({ id: workspace.id }) };
}
