import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../src/app/emitter.ts';

class Bell extends Emitter<{ ring: number; quiet: void }> {
  ring(n: number): void {
    this.emit('ring', n);
  }
}

describe('Emitter', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('calls each listener with the detail, in order, until it is stopped', () => {
    const bell = new Bell();
    const heard: string[] = [];
    const stopA = bell.on('ring', (n) => heard.push(`a${n}`));
    bell.on('ring', (n) => heard.push(`b${n}`));
    bell.ring(1);
    stopA();
    bell.ring(2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
  });

  it('a throwing listener is reported and neither stops the others nor the emitter', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const bell = new Bell();
    const heard: number[] = [];
    bell.on('ring', () => {
      throw new Error('broken listener');
    });
    bell.on('ring', (n) => heard.push(n));
    expect(() => bell.ring(3)).not.toThrow();
    expect(heard).toEqual([3]);
    expect(reported).toEqual([new Error('broken listener')]);
  });

  it('a listener added during an emit waits for the next one; one removed during it is not called', () => {
    const bell = new Bell();
    const heard: string[] = [];
    let stopC = () => {};
    bell.on('ring', (n) => {
      heard.push(`a${n}`);
      if (n === 1) {
        bell.on('ring', (m) => heard.push(`late${m}`));
        stopC();
      }
    });
    stopC = bell.on('ring', (n) => heard.push(`c${n}`));
    bell.ring(1);
    bell.ring(2);
    expect(heard).toEqual(['a1', 'a2', 'late2']);
  });
});
