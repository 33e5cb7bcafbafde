import { useEffect, useRef, useState, type JSX, type ReactNode } from 'react';
import { ExportButton } from './export/ExportButton.tsx';
import type { Loaded } from './use-load.ts';
import { DECISION_STATE, REVIEW_STATE, type ReviewStateKey } from './labels.ts';
import { time } from './fmt.ts';
import type { Material } from './types.ts';

// Small shared pieces of the console's pages.

/** A titled block of a page; one that holds a table offers it as an Excel file (导出 Excel). */
export function Section({
  title,
  extra,
  children,
  testId,
}: {
  title: string;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}): JSX.Element {
  const ref = useRef<HTMLElement>(null);
  const [hasTable, setHasTable] = useState(false);
  // Tables appear once their data has loaded: looked for after every render (a cheap query).
  useEffect(() => {
    const found = Boolean(ref.current?.querySelector('table tbody tr'));
    if (found !== hasTable) setHasTable(found);
  });
  return (
    <section className="console-section" data-testid={testId} ref={ref}>
      <header>
        <h3>{title}</h3>
        {(extra !== undefined || hasTable) && (
          <div className="extra">
            {extra}
            {hasTable && <ExportButton title={title} within={ref} />}
          </div>
        )}
      </header>
      {children}
    </section>
  );
}

/** Loading or the reason a read failed (a 403 names what is outside the user's scope). */
export function Status({ loaded }: { loaded: Pick<Loaded<unknown>, 'loading' | 'error'> }): JSX.Element | null {
  if (loaded.error)
    return (
      <div className="note error" data-testid="console-error">
        {loaded.error}
      </div>
    );
  if (loaded.loading) return <div className="loading">加载中…</div>;
  return null;
}

/** Tells the console which term the server answered for, when none was picked. */
export function useReportTerm(term: string | undefined, onTerm: (term: string) => void): void {
  useEffect(() => {
    if (term) onTerm(term);
  }, [term, onTerm]);
}

/** The bureau's latest decision on a subject, or 待审核. */
/**
 * The bureau's latest decision on an item; with `state` (contract v1.1: what the figures count
 * it as) the state's word leads, e.g. 待审批 for a rejected budget re-submitted since.
 */
export function DecisionState({
  decision,
  state,
}: {
  decision: Material['decision'];
  state?: ReviewStateKey;
}): JSX.Element {
  if (!decision)
    return (
      <span className="state pending" data-testid="console-decision-state" data-state={state}>
        {state ? REVIEW_STATE[state] : '待审核'}
      </span>
    );
  // A 喊停 is no approval state: the offering's state leads, the halt follows.
  const word = DECISION_STATE[decision.decision] ?? decision.decision;
  const label = !state
    ? word
    : decision.decision === 'halted'
      ? `${REVIEW_STATE[state]} · ${word}`
      : REVIEW_STATE[state];
  const current = !state || state === decision.decision || decision.decision === 'halted';
  return (
    <span
      className={`state ${state ?? decision.decision}`}
      data-testid="console-decision-state"
      data-decision={decision.decision}
      data-state={state}
      title={`${time(decision.ts)} ${DECISION_STATE[decision.decision] ?? ''} ${decision.content}`}
    >
      {label}
      {current && decision.content ? `：${decision.content}` : ''}
    </span>
  );
}

/** The title of a per-child table: 各辖区… at the city, 各学区… in a district, 本校… at a school. */
export function childrenTitle(scope: string, what: string): string {
  const kind = scope.split(':')[0];
  const who = kind === 'city' ? '各辖区' : kind === 'district' ? '各学区' : kind === 'zone' ? '各学校' : '本校';
  return `${who}${what}`;
}
