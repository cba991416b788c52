/**
 * The local stand-in for EventBridge Scheduler: invokes a scheduled function (FUNCTIONS[x].schedule)
 * every interval with the function's timeout, never two runs at once, and logs a failed run
 * (the next run is the retry, as on AWS where a run superseded by the next is dropped).
 */
import { invoke, type LambdaHandler } from './lambda.ts';

export interface ScheduleOptions {
  readonly handler: LambdaHandler<unknown, unknown>;
  readonly everyMs: number;
  readonly functionName: string;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  readonly log?: (line: string) => void;
  /** Called with each run's result or error (tests and the start script use it). */
  readonly onRun?: (outcome: { result?: unknown; error?: unknown }) => void;
}

export interface LocalSchedule {
  /** Runs once now (awaiting a run in progress first); what the timer would do. */
  runNow(event?: unknown): Promise<unknown>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** A scheduled event as EventBridge Scheduler delivers one to a Lambda target (no input set). */
function scheduledEvent(): Record<string, unknown> {
  return { source: 'silkroute.twin.scheduler', time: new Date().toISOString() };
}

export function startSchedule(options: ScheduleOptions): LocalSchedule {
  const log = options.log ?? ((line: string) => console.error(line));
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (event: unknown = scheduledEvent()): Promise<unknown> => {
    const next = running.then(async () => {
      try {
        const result = await invoke(options.handler, event, {
          functionName: options.functionName,
          ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
          ...(options.memoryMb === undefined ? {} : { memoryMb: options.memoryMb }),
        });
        options.onRun?.({ result });
        return result;
      } catch (error) {
        log(`${options.functionName}: scheduled run failed: ${error instanceof Error ? error.message : String(error)}`);
        options.onRun?.({ error });
        return undefined;
      }
    });
    running = next;
    return next;
  };
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, options.everyMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
