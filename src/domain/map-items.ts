// Each item of a map step runs as a step of its own, with its own step_runs row and stored files,
// under an index no planned step has: the map step's index scaled past any item count.
export const ITEM_BASE = 1_000_000;
export const MAX_MAP_ITEMS = ITEM_BASE - 1;

/** The step index an item's run is recorded under. */
export function itemRunIndex(mapStepIndex: number, item: number): number {
  return ITEM_BASE * (mapStepIndex + 1) + item;
}

/** The first and one-past-last item run index of a map step, for range queries. */
export function itemRunRange(mapStepIndex: number): [number, number] {
  return [itemRunIndex(mapStepIndex, 0), itemRunIndex(mapStepIndex + 1, 0)];
}

/** What an item's output files are renamed with, so results sort in item order and never collide. */
export function itemFilePrefix(item: number): string {
  return `item-${String(item + 1).padStart(6, '0')}-`;
}

/** The planned step a run belongs to: itself, or the map step whose item it is. */
export function plannedStepOf(runIndex: number): number {
  return runIndex < ITEM_BASE ? runIndex : Math.floor(runIndex / ITEM_BASE) - 1;
}
