// Slabs: equal-sized zeroed buffers for delay lines (delay, reverb, chorus).
// Taken on structural commands only (plugin insert or type change), returned
// to a free list on removal, so process() never allocates.
import { slabBytes } from './state';

const free = new StaticArray<usize>(4096);
let freeCount: i32 = 0;

/** A zeroed slab of slabBytes, 16-byte aligned. */
export function slabTake(): usize {
  let ptr: usize;
  if (freeCount > 0) ptr = unchecked(free[--freeCount]);
  else ptr = (heap.alloc(<usize>slabBytes + 16) + 15) & ~(<usize>15);
  memory.fill(ptr, 0, <usize>slabBytes);
  return ptr;
}

/** Returns a slab to the free list. */
export function slabGive(ptr: usize): void {
  if (ptr != 0 && freeCount < 4096) unchecked(free[freeCount++] = ptr);
}
