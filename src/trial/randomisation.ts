/**
 * The trial's allocation sequence (PRODUCT.md section 7, "Randomisation"): stratified by crisis
 * team, in permuted blocks of random size, each block holding every arm equally often in an
 * order shuffled by a cryptographic random source. A sequence is made for a stratum when the
 * trial opens (and more blocks when it runs out), stored, and read only at the moment someone is
 * randomised, so nobody can know the next allocation: with blocks of random size, even someone
 * who knows every allocation so far cannot tell where a block ends.
 *
 * Pure apart from the random source, which is passed in (crypto's `randomInt` by default), so
 * tests can drive it.
 */
import { randomInt } from 'node:crypto';

export const ARMS = ['intervention', 'control'] as const;
export type Arm = (typeof ARMS)[number];

/** A random whole number from 0 up to, not including, `below`. */
export type RandomBelow = (below: number) => number;

export interface BlockDesign {
  /** The block sizes to choose from, each a multiple of the number of arms (default 2, 4 and 6). */
  blockSizes: readonly number[];
}

export const DEFAULT_DESIGN: BlockDesign = { blockSizes: [2, 4, 6] };

export function checkDesign(design: BlockDesign): void {
  if (design.blockSizes.length === 0) throw new Error('randomisation: no block sizes');
  for (const size of design.blockSizes) {
    if (!Number.isInteger(size) || size <= 0 || size % ARMS.length !== 0)
      throw new Error(`randomisation: a block of ${String(size)} cannot hold each arm equally often`);
  }
}

/** Shuffles in place (Fisher–Yates), every order equally likely given a fair source. */
function shuffle<T>(items: T[], random: RandomBelow): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random(i + 1);
    const swap = items[i] as T;
    items[i] = items[j] as T;
    items[j] = swap;
  }
  return items;
}

/** One block: a size chosen at random, each arm size / arms times, in a random order. */
export function permutedBlock(design: BlockDesign = DEFAULT_DESIGN, random: RandomBelow = randomInt): Arm[] {
  checkDesign(design);
  const size = design.blockSizes[random(design.blockSizes.length)] ?? 0;
  const block: Arm[] = [];
  for (let i = 0; i < size; i++) block.push(i % 2 === 0 ? 'intervention' : 'control');
  return shuffle(block, random);
}

/** Whole blocks, at least `slots` allocations long. */
export function allocationSequence(
  slots: number,
  design: BlockDesign = DEFAULT_DESIGN,
  random: RandomBelow = randomInt,
): Arm[] {
  const sequence: Arm[] = [];
  while (sequence.length < slots) sequence.push(...permutedBlock(design, random));
  return sequence;
}

/**
 * How far the arms are apart after each allocation of a sequence: never more than half the
 * largest block, and nothing at the end of each block.
 */
export function imbalances(sequence: readonly Arm[]): number[] {
  let difference = 0;
  return sequence.map((arm) => {
    difference += arm === 'intervention' ? 1 : -1;
    return Math.abs(difference);
  });
}
