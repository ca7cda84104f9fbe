/**
 * The profile formats perfgate writes and reads, as V8 produces them through the inspector
 * protocol (the same JSON Chrome DevTools saves as `.cpuprofile` / `.heapprofile`). Types only.
 */
export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  /** 0-based, of the function's definition (not of the call). */
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  /** Samples whose top frame is this node (when `samples` is absent). */
  hitCount?: number;
  children?: number[];
}

/** Profiler.Profile: nodes form a tree from the root (the first node); one node id per sample. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** µs. */
  startTime: number;
  endTime: number;
  samples?: number[];
  /** µs between consecutive samples. */
  timeDeltas?: number[];
}

export interface HeapProfileNode {
  callFrame: CallFrame;
  /** Bytes allocated by this frame itself (sampled), still live or not. */
  selfSize: number;
  id: number;
  children: HeapProfileNode[];
}

/** HeapProfiler.SamplingHeapProfile. */
export interface HeapProfile {
  head: HeapProfileNode;
  samples: Array<{ size: number; nodeId: number; ordinal: number }>;
}
