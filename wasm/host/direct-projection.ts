import { CommandExecutor } from './command-executor.ts';
import type { EngineCore } from './engine-core.ts';
import { EngineGraph } from './engine-graph.ts';
import type { GraphSink } from './graph-commands.ts';

/** A sink that runs `EngineGraph`'s output straight on the executor (Node: render, bench, tests). */
export function directSink(executor: CommandExecutor): GraphSink {
  return {
    param: (slot, plugin, index, value) => executor.param(slot, plugin, index, value),
    trackValue: (slot, field, value) => executor.trackValue(slot, field, value),
    command: (c) => executor.execute(c),
  };
}

/** The projection with nothing in between (Node): an EngineGraph whose output runs at once on `core`. */
export function directProjection(core: EngineCore): { graph: EngineGraph; executor: CommandExecutor } {
  const executor = new CommandExecutor(core);
  return { graph: new EngineGraph(core.limits, directSink(executor)), executor };
}
