/**
 * Ids of executions: UUIDv7 like every other id, from a generator whose crypto randomness is
 * drawn in large blocks. uuidv7's default source refills 8 words at a time, so a thousand runs
 * due at one minute cost ~400 `crypto.getRandomValues` calls (each validated by WebIDL) in front
 * of the types' `run()`; one block of 4,096 words serves a thousand-odd ids with one call.
 */
import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

class BlockRandom {
  private readonly block = new Uint32Array(4096);
  private cursor = this.block.length;

  nextUint32(): number {
    if (this.cursor >= this.block.length) {
      randomFillSync(this.block);
      this.cursor = 0;
    }
    return this.block[this.cursor++]!;
  }
}

const generator = new V7Generator(new BlockRandom());

/** A new execution id (time-ordered, like uuidv7()). */
export function newExecutionId(): string {
  return generator.generate().toString();
}
