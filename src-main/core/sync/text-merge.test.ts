/**
 * Long text merges per character when people edit at once: a person's edit is applied relative to
 * the text it was made on (`{ base, value }`), not as a whole new value diffed against whatever
 * the doc holds by then. Real Yjs docs here; real replicas through a real relay below.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Core } from '../core';
import { converged, eventually, startTeam, type Team } from '../testing/team';
import { mergeTextEdit } from './text-merge';

/** A Y.Text holding `current`, after `edit` (made on an older text) is merged into it. */
function merged(current: string, edit: { base: string; value: string } | string): string {
  const text = new Y.Doc().getText('t');
  text.insert(0, current);
  mergeTextEdit(text, edit);
  return text.toString();
}

describe('merging an edit made on an older text', () => {
  const base = 'The quick brown fox jumps over the lazy dog.';

  it('keeps the others\u2019 insertions at both ends and in the middle, and mine at theirs', () => {
    const theirs = `Note: ${base.replace('brown', 'brown (red?)')} End.`;
    const mine = `${base.replace('lazy', 'very lazy')} PS: mine.`;
    expect(merged(theirs, { base, value: mine })).toBe('Note: The quick brown (red?) fox jumps over the very lazy dog. End. PS: mine.');
    // Both inserted at the same place: both stay, theirs first.
    expect(merged(`${base} Ben line.`, { base, value: `${base} Alice line.` })).toBe(`${base} Ben line. Alice line.`);
    // A replaced word: their text right after it stays after the new one.
    expect(merged('The cat! sat.', { base: 'The cat sat.', value: 'The dog sat.' })).toBe('The dog! sat.');
    // Into an empty text at once.
    expect(merged('Ben line. ', { base: '', value: 'Alice line. ' })).toBe('Ben line. Alice line. ');
  });

  it('overlapping deletes delete each character once; what either inserted survives', () => {
    // They deleted "2345" and appended X; I deleted "4567" and put Y in its place.
    expect(merged('0167 89X', { base: '01234567 89', value: '0123Y 89' })).toBe('01Y 89X');
    // The same range deleted on both sides.
    expect(merged('ad', { base: 'abcd', value: 'ad' })).toBe('ad');
    // I delete a word they edited inside: their insertion survives, my delete of the rest holds
    // (which space goes with the word is the diff's choice).
    expect(merged('one XY-ZW three', { base: 'one XYZW three', value: 'one three' })).toMatch(/^one ?- ?three$/);
  });

  it('a plain string replaces the text, writing only what changed', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, base);
    let changed = 0;
    text.observe((event) => (changed += event.delta.reduce((n, d) => n + (typeof d.insert === 'string' ? d.insert.length : 0) + (d.delete ?? 0), 0)));
    mergeTextEdit(text, base.replace('lazy', 'sleepy'));
    expect(text.toString()).toBe('The quick brown fox jumps over the sleepy dog.');
    expect(changed).toBeLessThan(12);
    mergeTextEdit(text, text.toString());
    expect(changed).toBeLessThan(12);
  });

  it('a long text pasted over another is merged line by line, keeping what others added around it', () => {
    // 2,000 lines over 2,000 unrelated ones (~100,000 characters each): a character diff would
    // cost their product; line by line it is cheap, and a teammate's new lines still survive.
    const lines = (prefix: string) => Array.from({ length: 2_000 }, (_, i) => `${prefix} line ${i} of the brief, with some words.\n`).join('');
    const [old, pasted] = [lines('Old'), lines('New')];
    expect(merged(`Intro.\n${old}Outro.\n`, { base: old, value: pasted })).toBe(`Intro.\n${pasted}Outro.\n`);
    // One giant line each way: one replacement.
    expect(merged('x'.repeat(100_000), { base: 'x'.repeat(100_000), value: 'y'.repeat(100_000) })).toBe('y'.repeat(100_000));
  });

  it('keeps characters outside the Basic Multilingual Plane whole', () => {
    expect(merged('😀 a 🎉', { base: '😀 🎉', value: '😀 🎉 👍' })).toBe('😀 a 🎉 👍');
  });
});

describe('two replicas typing into one description', () => {
  let team: Team | undefined;
  afterEach(async () => {
    await team?.close();
    team = undefined;
  });

  it('online at once and offline with stale bases: every insertion survives on both', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const base = 'Intro. Middle part. Outro.';
    const task = await a.api.tasks.create({ projectId: project.id, title: 'WEB-5', description: base });
    await eventually(() => b.api.tasks.getMany({ ids: [task.id] }), (t) => t[0]?.description === base);

    // Within a second of each other, both from the text their panel showed.
    await Promise.all([
      a.api.tasks.update({ id: task.id, description: { base, value: `${base} Alice line. ` } }),
      b.api.tasks.update({ id: task.id, description: { base, value: `${base} Ben line. ` } }),
    ]);
    await converged(team.cores);
    const online = (await a.api.tasks.get({ id: task.id })).description;
    expect(online).toContain('Alice line. ');
    expect(online).toContain('Ben line. ');

    // B offline for a while: both edit at the ends and the middle and delete overlapping ranges.
    await b.internals.sync.setOnline(ws, false);
    const onA = online.replace('Intro. ', 'A-start Intro').replace('Middle part.', 'Middle A-mid part.');
    const onB = `B-start ${online.replace('Middle part. ', 'Mid').replace('Outro.', 'Outro. B-end')}`;
    await a.api.tasks.update({ id: task.id, description: { base: online, value: onA } });
    await b.api.tasks.update({ id: task.id, description: { base: online, value: onB } });
    // A stale base on a replica that has moved on: A's panel still shows `onA` while B's change
    // arrives; A's next keystrokes are merged into the text as it is by then.
    await b.internals.sync.setOnline(ws, true);
    await converged(team.cores);
    await a.api.tasks.update({ id: task.id, description: { base: onA, value: `${onA}A-later` } });
    await converged(team.cores);
    const final = (await b.api.tasks.get({ id: task.id })).description;
    for (const piece of ['A-start', 'A-mid', 'B-start', 'B-end', 'A-later', 'Alice line. ', 'Ben line. ']) expect(final).toContain(piece);
    expect(final).not.toContain('Intro. '); // A deleted ". " after Intro, and it stays deleted
    expect((await a.api.tasks.get({ id: task.id })).description).toBe(final);
  });

  it('project description and notes merge the same way', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB', notes: 'Kickoff.', description: 'Site.' });
    await eventually(() => b.api.projects.list({ workspaceId: ws }), (p) => p.length === 1);
    await Promise.all([
      a.api.projects.update({ id: project.id, notes: { base: 'Kickoff.', value: 'Kickoff. A notes.' }, description: { base: 'Site.', value: 'A Site.' } }),
      b.api.projects.update({ id: project.id, notes: { base: 'Kickoff.', value: 'B notes. Kickoff.' }, description: { base: 'Site.', value: 'Site. B' } }),
    ]);
    await converged(team.cores);
    const onB = await b.api.projects.get({ id: project.id });
    expect(onB.notes).toBe('B notes. Kickoff. A notes.');
    expect(onB.description).toBe('A Site. B');
  });
});
