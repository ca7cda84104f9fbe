/**
 * The run: one execution of suites with everything needed to judge and compare it later — its
 * results, the machine and commit it ran on, the target verdicts and the comparison with a
 * baseline. Its JSON form is the run file (versioned by `schemaVersion`). Types only.
 */
import type { Interval, Result } from './result.js';
import type { Curve, SweepFit } from './fit.js';
import type { Capacity } from './capacity.js';

export interface Environment {
  cpuModel: string;
  cores: number;
  node: string;
  v8: string;
  os: string;
  arch: string;
  totalMemory: number;
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAverage: number[];
  hostname: string;
  /** CPU frequency governor, where Linux tells it: "performance" vs "powersave" changes results. */
  governor?: string;
}

export interface GitState {
  commit: string;
  branch: string | null;
  dirty: boolean;
  /** Subject of the commit, for trend views. */
  subject?: string;
}

export interface VerdictCounts {
  pass: number;
  fail: number;
  noData: number;
}

export type Check = 'targets' | 'gate' | 'errors';

export interface Outcome {
  /** Nothing counted failed, and the run was not interrupted. */
  pass: boolean;
  /** Every check that failed, counted or not. */
  failed: Check[];
  /** The checks that decide `pass` (and the exit code). */
  failOn: Check[];
  interrupted: boolean;
  targets: { total: number; met: number; failed: number; noData: number };
  /** `none` when the run was not compared with a baseline. */
  gate: GateStatus | 'none';
  /** Cases that threw or could not be measured. */
  errors: number;
}

export type GateAction = 'fail' | 'warn';

export type ChangeVerdict = 'slower' | 'suspect' | 'same' | 'faster' | 'missing' | 'new' | 'no-data';

/** The size of a slowdown; below `medium` it has none. */
export type Severity = 'medium' | 'high' | 'critical';

export type GateStatus = 'pass' | 'warn' | 'fail';

export interface Side {
  n: number;
  /** The compared statistic (median by default), ns. */
  value: number;
}

export interface CaseComparison {
  id: string;
  class: string;
  threshold: number;
  action: GateAction;
  verdict: ChangeVerdict;
  baseline?: Side;
  candidate?: Side;
  /** candidate / baseline − 1 of the statistic: +0.1 = 10% slower. */
  change?: number;
  ci?: Interval;
  /** Mann-Whitney two-sided p-value. */
  p?: number;
  severity?: Severity;
  gate: GateStatus;
  /** Why, in words, when the verdict needs one (unknown class, too few samples …). */
  note?: string;
  /** Re-measurements of a case that looked slower, each judged against the same baseline. */
  confirmations?: { change?: number; ci?: Interval; p?: number; verdict: ChangeVerdict }[];
  /** The candidate was measured while the machine ran this much slower than usual (its canary). */
  slowMachine?: number;
  /** A paired comparison (`--against`): the pairs and the looks that decided. */
  paired?: PairedCase;
  /**
   * Not a case but a definition's fit: its best curve over `param` grew more complex than the
   * baseline's (O(n) → O(n^2)), and fits this run's points better than the old curve by more
   * than the margin (relative RMS `rmsFrom` with the old curve, `rmsTo` with the new).
   */
  complexity?: { param: string; from: Curve; to: Curve; rmsFrom: number; rmsTo: number };
}

/** One pair: a process of each side, adjacent in time, in the order it ran. */
export interface Pair {
  /** Each side's statistic in that process (the median of its samples), ns. */
  base: number;
  candidate: number;
  first: 'base' | 'candidate';
  /** candidate / base − 1. */
  ratio: number;
  /** Left out of the statistics: a process of it was set aside (canary, consensus), and why. */
  setAside?: string;
}

/** A look at the kept pairs: the interval at that look's share of α, and whether it settled the case. */
export interface PairedLook {
  pairs: number;
  /** The share of α spent at this look. */
  alpha: number;
  /** Median of the per-pair ratios − 1. */
  change: number;
  /** Hodges–Lehmann interval of the change at level 1 − alpha. */
  ci: Interval;
  /** Wilcoxon signed-rank two-sided p-value. */
  p: number;
  stop?: 'slower' | 'faster' | 'same';
}

export interface PairedCase {
  pairs: Pair[];
  looks: PairedLook[];
  /** The looks planned, by kept pairs: the last is the most a case takes. */
  schedule: number[];
  /** Settled at a look before the last one planned. */
  stoppedEarly: boolean;
}

export interface RunSet {
  /** What the user wrote and what it resolved to. */
  spec: string;
  label: string;
  runs: string[];
}

/** `run.comparison`: the candidate run against a baseline, case by case. */
export interface Comparison {
  baseline: RunSet;
  candidate: RunSet;
  statistic: string;
  alpha: number;
  /** Environment differences that make the numbers less comparable (CPU, cores, Node major). */
  envDiffs: string[];
  cases: CaseComparison[];
  counts: Record<ChangeVerdict, number>;
  gate: GateStatus;
  /** Measured in pairs against a git ref in the same run (`--against`), not against stored runs. */
  paired?: { ref: string; commit: string; method: string };
}

export interface Run {
  schemaVersion: number;
  tool: { name: 'perfgate'; version: string };
  id: string;
  startedAt: string;
  finishedAt: string;
  /** `interrupted` when Ctrl-C (or a signal) stopped it: what finished is still here. */
  status: 'complete' | 'interrupted';
  git: GitState | null;
  env: Environment;
  /** The command line and effective settings, so a run can be reproduced. */
  command: string[];
  config?: string;
  results: Result[];
  summary: {
    cases: number;
    errors: number;
    targets: VerdictCounts;
    /** Targets, gate and errors in one verdict; absent in run files written before it. */
    outcome?: Outcome;
  };
  /** Free-form labels (tag, baseline name …). */
  labels?: Record<string, string>;
  /** This run against a baseline (`perfgate run --baseline X`), case by case. */
  comparison?: Comparison;
  /** Config target rules that matched no case: each of their targets is no-data. */
  unmatchedTargets?: UnmatchedTarget[];
  /** How time grows with a size and throughput with concurrency, over swept cases (stats/sweep.ts). */
  fits?: SweepFit[];
  /** Instances, users per instance and storage growth from the measured throughputs (`capacity:`). */
  capacity?: Capacity;
}

export interface UnmatchedTarget {
  pattern: string;
  /** Where it was written: `perfgate.yaml: targets."crypto/sha265"`. */
  origin: string;
  /** The targets as written. */
  targets: string[];
  /** The case ids closest to the pattern: the likely intended ones. */
  nearest: string[];
}
