import type { z } from 'zod';
import { getPath, type SettingsSpec } from './load.ts';

// The README's settings table, generated from the processes' specs so that it cannot drift from
// what they parse (a unit test compares the README with this output).

export interface SettingsSection {
  title: string;
  spec: SettingsSpec<z.ZodObject>;
  /** Variables already listed by an earlier section (shared groups): listed once. */
  skip?: ReadonlySet<string>;
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function defaultOf(spec: SettingsSpec<z.ZodObject>, name: string): string {
  const v = spec.vars[name];
  if (!v) return '';
  if (v.shownDefault !== undefined) return v.shownDefault;
  if (v.secret) return '';
  const d = getPath(spec.defaults, v.path);
  if (d === undefined || d === '') return '';
  return `\`${Array.isArray(d) ? d.join(',') : String(d)}\``;
}

export function settingsTable(sections: SettingsSection[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sections) {
    const names = Object.keys(s.spec.vars).filter((n) => !seen.has(n));
    if (!names.length) continue;
    out.push(`**${s.title}**`, '', '| variable | default | meaning |', '|---|---|---|');
    for (const n of names) {
      seen.add(n);
      out.push(`| \`${n}\` | ${defaultOf(s.spec, n)} | ${cell(s.spec.vars[n]?.doc ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
