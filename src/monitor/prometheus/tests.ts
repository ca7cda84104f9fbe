/**
 * The `promtool test rules` file for generated rules: each alert fires on its synthetic
 * series at the time it should, with the labels and annotations it should carry, and stays
 * quiet on the healthy series. Pure.
 */
import type { AlertCheck } from './rules.js';

export function promtoolTests(ruleFile: string, checks: readonly AlertCheck[]): Record<string, unknown> {
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: checks.flatMap((c) => [
      { name: `${c.alert} fires`, interval: '1m', input_series: c.firing, alert_rule_test: [{ eval_time: `${c.at}m`, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels, exp_annotations: c.annotations }] }] },
      { name: `${c.alert} stays quiet`, interval: '1m', input_series: c.quiet, alert_rule_test: [{ eval_time: `${c.at}m`, alertname: c.alert, exp_alerts: [] }] },
    ]),
  };
}
