import { useEffect, useId, useState } from 'react';
import type { GithubProjectRules, Stage } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { errorText, InlineError } from '../../components/inline-error';
import { useAppStore } from '../../store/app-store';
import { byOrder } from '../../store/board-slice';
import { selectCanEdit } from '../../store/sync-slice';

type RuleName = 'onMerge' | 'onOpen';

const ruleTexts: Record<RuleName, { before: string; automatic: string }> = {
  onMerge: { before: 'When a PR saying “fixes KEY” is merged, move the task to', automatic: 'the first done stage' },
  onOpen: { before: 'When a PR is opened for a task, move the task to', automatic: 'a stage named like “Review”' },
};

const EMPTY_STAGES: Stage[] = [];

/**
 * Which stage merged and opened pull requests move the project's tasks to (shared with the team),
 * each rule on or off. A change is saved at once; a refusal shows in place and the form goes back
 * to what the core holds.
 */
export function GithubRules({ projectId }: { projectId: string }) {
  const stages = useAppStore((s) => s.stagesByProject[projectId] ?? EMPTY_STAGES);
  const canEdit = useAppStore(selectCanEdit);
  const revision = useAppStore((s) => s.githubRevisionByProject[projectId] ?? 0);
  const [rules, setRules] = useState<GithubProjectRules | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api.github.projectRules({ projectId }).then(
      (found) => {
        if (!current) return;
        setRules(found);
        setError(null);
      },
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [projectId, revision]);

  const save = async (rule: RuleName, value: GithubProjectRules[RuleName]) => {
    if (!rules) return;
    setRules({ ...rules, [rule]: value });
    try {
      setRules(await api.github.setProjectRules({ projectId, [rule]: value }));
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
      setRules(await api.github.projectRules({ projectId }).catch(() => rules));
    }
  };

  const sorted = [...stages].sort(byOrder);
  return (
    <section className="github-rules" aria-label="Pull request rules">
      <h3 className="section-heading">Pull request rules</h3>
      {error && <InlineError label="The rules could not be read or saved">{error}</InlineError>}
      {rules === null ? (
        !error && <p className="hint">Reading the rules…</p>
      ) : (
        <fieldset className="rules-fields" disabled={!canEdit}>
          {(['onMerge', 'onOpen'] as const).map((rule) => (
            <RuleRow key={rule} rule={rule} value={rules[rule]} stages={sorted} onChange={(value) => void save(rule, value)} />
          ))}
        </fieldset>
      )}
    </section>
  );
}

function RuleRow({ rule, value, stages, onChange }: { rule: RuleName; value: GithubProjectRules[RuleName]; stages: Stage[]; onChange(value: GithubProjectRules[RuleName]): void }) {
  const id = useId();
  const text = ruleTexts[rule];
  return (
    <div className="rule-row">
      <input id={`${id}-on`} type="checkbox" checked={value.enabled} onChange={(e) => onChange({ ...value, enabled: e.target.checked })} />
      <label htmlFor={`${id}-on`}>{text.before}</label>
      <select aria-label={`${text.before}…`} value={value.stageId ?? ''} disabled={!value.enabled} onChange={(e) => onChange({ ...value, stageId: e.target.value || null })}>
        <option value="">Automatic: {text.automatic}</option>
        {stages.map((stage) => (
          <option key={stage.id} value={stage.id}>
            {stage.name}
          </option>
        ))}
      </select>
    </div>
  );
}
