import type { GateCheck, GateResult } from '../core/gate/gate-result.js';
import type { CheckAnnotation } from './check-run.js';

/** Identifies one gate's comment: per workflow and gate name, so several gates keep one comment each. */
export function gateCommentMarker(workflow: string, gateName: string): string {
  const safe = (text: string) => text.replaceAll('--', '-').replaceAll('>', '');
  return `<!-- mlops-gate:${safe(workflow)}:${safe(gateName)} -->`;
}

/** The pull-request comment: the report, then links to the run and to the HTML reports among its artifacts. */
export function gateCommentBody(marker: string, report: string, runUrl: string | undefined): string {
  const links = runUrl
    ? `\n[Workflow run](${runUrl}) · [HTML reports (run artifacts)](${runUrl}#artifacts)\n`
    : '';
  return `${marker}\n${report}${links}`;
}

export const CHECK_CONCLUSION = { pass: 'success', warn: 'neutral', fail: 'failure' } as const;

const LEVEL = { fail: 'failure', warn: 'warning' } as const;

/** One annotation per failing or warning check, on the policy line of the rule behind it. */
export function gateAnnotations(result: GateResult, policyPath: string): CheckAnnotation[] {
  return result.rules
    .filter(
      (check): check is GateCheck & { verdict: 'fail' | 'warn'; line: number } =>
        check.verdict !== 'pass' && check.line !== undefined,
    )
    .map((check) => ({
      path: policyPath,
      start_line: check.line,
      end_line: check.line,
      annotation_level: LEVEL[check.verdict],
      title: check.name,
      message: check.reason,
    }));
}
