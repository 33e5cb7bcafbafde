import { z } from 'zod';
import type { InboundType } from './events.ts';
import { SCHEMA_OF_TYPE, supervisionSchema } from './schemas.ts';
import { SUPERVISION_TOPIC, TOPIC_OF_TYPE } from './topics.ts';

// The JSON Schema files outsiders read (analytics/schema/*.json) are generated from the zod
// schemas, so they cannot drift from what ingest enforces. Cross-field rules that JSON Schema
// cannot express (planned_end ≥ planned_start, an external course needs provider_id) are
// listed in each file's description instead.

const CROSS_FIELD_RULES: Partial<Record<InboundType, string>> = {
  school: 'entity_id must equal school_id.',
  course: 'An external course (kind = external) needs provider_id.',
  session_scheduled: 'planned_end must not be before planned_start.',
  session_cancelled: 'planned_end must not be before planned_start.',
};

export function jsonSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [type, schema] of Object.entries(SCHEMA_OF_TYPE) as [InboundType, z.ZodType][]) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<
      string,
      unknown
    >;
    files.set(
      `${type}.schema.json`,
      render({
        $id: `https://edu-supervision.example/schema/v1/${type}.schema.json`,
        title: type,
        description: [
          `Event \`${type}\` on topic \`${TOPIC_OF_TYPE[type]}\`. Unknown extra fields are ignored.`,
          CROSS_FIELD_RULES[type],
        ]
          .filter(Boolean)
          .join(' '),
        ...json,
      }),
    );
  }
  const sup = z.toJSONSchema(supervisionSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  files.set(
    'supervision.schema.json',
    render({
      $id: 'https://edu-supervision.example/schema/v1/supervision.schema.json',
      title: 'supervision',
      description: `What the bureau publishes on \`${SUPERVISION_TOPIC}\` (notice_issued and decision).`,
      ...sup,
    }),
  );
  return files;
}

function render(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
