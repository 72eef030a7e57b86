/**
 * Ids of executions: UUIDv7 like every other id (uuidv7's own generator, so they stay
 * time-ordered and monotonic), made cheaply, because a thousand runs due at one minute each need
 * one before their type's `run()` is called:
 * - randomness drawn in blocks of 4,096 words (uuidv7's default source refills 8 words at a time,
 *   each refill a WebIDL-checked `crypto.getRandomValues` call);
 * - the text written into one reused buffer and read out as one string (uuidv7's `toString()`
 *   appends 36 characters one by one: ~0.5 KB of short-lived strings per id, and garbage
 *   collection was most of the time a minute's firing took).
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
/** ASCII codes of the hex digits; the text of an id is written into `text`. */
const digits = Buffer.from('0123456789abcdef', 'latin1');
const text = Buffer.alloc(36);

/** A new execution id (8-4-4-4-12 lower-case hex, time-ordered like uuidv7()). */
export function newExecutionId(): string {
  const { bytes } = generator.generate();
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = 0x2d; // '-'
    const byte = bytes[i]!;
    text[at++] = digits[byte >>> 4]!;
    text[at++] = digits[byte & 0xf]!;
  }
  return text.toString('latin1', 0, 36);
}
