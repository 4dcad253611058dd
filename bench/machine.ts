import { cpus, freemem, totalmem } from 'node:os';
import Database from 'better-sqlite3';

/** One line describing the machine a benchmark ran on, printed beside every figure. */
export function describeMachine(): string {
  const cpu = cpus();
  const sqlite = (new Database(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v;
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM (${Math.round(freemem() / 2 ** 30)} GiB free)`,
    `Node ${process.version}`,
    `SQLite ${sqlite}`,
    `${process.platform} ${process.arch}`,
  ].join(', ');
}

/** A measured figure beside its baseline from the same run. */
export interface BenchRow {
  measure: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  /** value / baselineValue (or the inverse for latencies, stated in `goal`). */
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export interface BenchResult {
  name: string;
  backend?: string;
  rows: BenchRow[];
  notes?: string[];
}

/** Benchmarks print their result as one line `BENCH_JSON {…}` so that bench/run.ts can collect it. */
export function emit(result: BenchResult): void {
  process.stdout.write(`BENCH_JSON ${JSON.stringify(result)}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
