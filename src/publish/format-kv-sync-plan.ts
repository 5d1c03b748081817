import { countWrites, type KvSyncPlan, writeStage } from './plan-kv-sync.ts';

const STAGE_NAMES = ['documents', 'pages', 'site indexes', 'build record'];

/**
 * The plan as `deploy --dry-run` prints it: a count line, then every write in the order it
 * would happen (`+` new, `~` changed), then every delete (`-`). Unchanged keys are only
 * counted; they are most of a warm sync and say nothing.
 */
export function formatKvSyncPlan(plan: KvSyncPlan, where: string): string {
  const writes = plan.writeStages.flat();
  const added = writes.filter((write) => write.reason === 'new').length;
  const lines = [
    `plan for ${where}: ${countWrites(plan)} to write (${added} new, ${writes.length - added} changed), ${plan.deletes.length} to delete, ${plan.unchanged.length} unchanged`,
  ];
  for (const stage of plan.writeStages) {
    const first = stage[0];
    if (first === undefined) continue;
    lines.push(`  ${STAGE_NAMES[writeStage(first.entry.key)] ?? 'other'}:`);
    for (const write of stage)
      lines.push(`    ${write.reason === 'new' ? '+' : '~'} ${write.entry.key}`);
  }
  if (plan.deletes.length > 0) lines.push('  deletes, after every write:');
  for (const key of plan.deletes) lines.push(`    - ${key}`);
  return lines.join('\n');
}
