import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocationSequence,
  checkDesign,
  imbalances,
  permutedBlock,
  type Arm,
  type RandomBelow,
} from './randomisation.ts';

/** A source that replays chosen numbers (each taken modulo what is asked), for tests. */
function replay(numbers: readonly number[]): RandomBelow {
  let at = 0;
  return (below) => Math.abs(numbers[at++ % numbers.length] ?? 0) % below;
}

const count = (arms: readonly Arm[], arm: Arm) => arms.filter((a) => a === arm).length;

describe('the allocation sequence', () => {
  it('holds each arm equally often in every block, whatever the random numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (numbers) => {
        const block = permutedBlock({ blockSizes: [2, 4, 6] }, replay(numbers));
        expect([2, 4, 6]).toContain(block.length);
        expect(count(block, 'intervention')).toBe(block.length / 2);
      }),
    );
  });

  it('never lets the arms drift apart by more than half the largest block', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 300 }),
        (numbers, slots) => {
          const sequence = allocationSequence(slots, { blockSizes: [2, 4, 6] }, replay(numbers));
          expect(sequence.length).toBeGreaterThanOrEqual(slots);
          expect(Math.max(...imbalances(sequence))).toBeLessThanOrEqual(3);
          // Whole blocks: it always ends balanced.
          expect(imbalances(sequence).at(-1)).toBe(0);
        },
      ),
    );
  });

  it('uses every block size and both orders from the cryptographic source', () => {
    const sizes = new Set<number>();
    const firsts = new Set<Arm>();
    for (let i = 0; i < 200; i++) {
      const block = permutedBlock();
      sizes.add(block.length);
      firsts.add(block[0] as Arm);
    }
    expect([...sizes].sort()).toEqual([2, 4, 6]);
    expect(firsts.size).toBe(2);
  });

  it('is close to 1:1 over many allocations, and not predictable from a fixed pattern', () => {
    const sequence = allocationSequence(10_000);
    const share = count(sequence, 'intervention') / sequence.length;
    expect(share).toBe(0.5);
    // Runs of the same arm vary in length (a fixed alternation would be guessable).
    const runs = new Set<number>();
    let run = 1;
    for (let i = 1; i < sequence.length; i++) {
      if (sequence[i] === sequence[i - 1]) run += 1;
      else {
        runs.add(run);
        run = 1;
      }
    }
    expect(runs.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses a block size that cannot hold each arm equally often', () => {
    expect(() => {
      checkDesign({ blockSizes: [3] });
    }).toThrow('cannot hold each arm equally often');
    expect(() => {
      checkDesign({ blockSizes: [] });
    }).toThrow('no block sizes');
  });
});
