// The drag gesture's choice of move events, with plain event objects: the
// gesture reads only their fields (a real browser drags it in tests/e2e/app-controls.spec.ts).
import { describe, expect, it } from 'vitest';
import { DRAG_TRAVEL_PX, DragGesture, endOpenGestures } from '../../../src/ui/controls/gesture.ts';

const pointer = (type: string, y: number) => ({
  type, pointerId: 1, pointerType: 'touch', button: 0, clientX: 10, clientY: y, timeStamp: 0,
  shiftKey: false, ctrlKey: false, metaKey: false, currentTarget: { setPointerCapture: () => undefined }, preventDefault: () => undefined,
}) as unknown as PointerEvent;

function drag() {
  const moves: number[] = [];
  const g = new DragGesture({ position: () => 0.5, move: (p) => moves.push(p), end: () => undefined, reset: () => undefined }, () => 'vertical');
  g.down(pointer('pointerdown', 300));
  return { g, moves };
}

describe('a drag follows the first copy of each move', () => {
  it('with raw updates, each move is taken from pointerrawupdate and its frame-aligned pointermove copy is ignored', () => {
    const { g, moves } = drag();
    g.move(pointer('pointerrawupdate', 300 - DRAG_TRAVEL_PX / 10));
    g.move(pointer('pointerrawupdate', 300 - DRAG_TRAVEL_PX / 5));
    g.move(pointer('pointermove', 300 - DRAG_TRAVEL_PX / 5));
    expect(moves.map((p) => p.toFixed(2))).toEqual(['0.60', '0.70']);
  });

  it('without raw updates (Safari, Firefox, an insecure page), pointermove drives the drag', () => {
    const { g, moves } = drag();
    g.move(pointer('pointermove', 300 - DRAG_TRAVEL_PX / 10));
    g.move(pointer('pointermove', 300 - DRAG_TRAVEL_PX / 5));
    expect(moves.map((p) => p.toFixed(2))).toEqual(['0.60', '0.70']);
  });

  it('a new drag starts over: it does not expect raw updates because the last one had them', () => {
    const first = drag();
    first.g.move(pointer('pointerrawupdate', 290));
    first.g.up(pointer('pointerup', 290));
    first.moves.length = 0;
    first.g.down(pointer('pointerdown', 300));
    first.g.move(pointer('pointermove', 300 - DRAG_TRAVEL_PX / 10));
    expect(first.moves.map((p) => p.toFixed(2))).toEqual(['0.60']);
  });
});

describe('leaving the page mid-drag', () => {
  it('ends each drag a pointer still holds, once, and not the ones already released', () => {
    const ends: string[] = [];
    const make = (name: string) => new DragGesture({ position: () => 0.5, move: () => undefined, end: () => ends.push(name), reset: () => undefined }, () => 'vertical');
    const held = make('held');
    const lifted = make('lifted');
    held.down(pointer('pointerdown', 300));
    held.move(pointer('pointermove', 280));
    lifted.down(pointer('pointerdown', 300));
    lifted.move(pointer('pointermove', 280));
    lifted.up(pointer('pointerup', 280));
    ends.length = 0;
    endOpenGestures();
    endOpenGestures();
    expect(ends).toEqual(['held']);
    expect(held.active).toBe(false);
  });
});
