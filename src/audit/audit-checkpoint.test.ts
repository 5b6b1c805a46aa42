import { describe, expect, it } from 'vitest';
import { TEST_AUDIT_KEY, WRONG_AUDIT_KEY } from '../test-support/audit-key.ts';
import { checkpointFileLine, readCheckpoints, signCheckpoint } from './audit-checkpoint.ts';
import { LogCheckpointSink } from './checkpoint-sink.ts';

const heads = [
  { chain: 3, count: 12, seq: 40, hash: 'a'.repeat(64) },
  { chain: 17, count: 5, seq: 41, hash: 'b'.repeat(64) },
];
const takenAt = new Date('2026-12-03T10:05:00Z');
const line = checkpointFileLine(signCheckpoint(TEST_AUDIT_KEY, takenAt, heads));

describe('checkpoint lines', () => {
  it('are read back with every chain when signed with this key', () => {
    expect(readCheckpoints(TEST_AUDIT_KEY, line + line, 'cp.jsonl')).toEqual({
      checkpoints: [
        { takenAt: '2026-12-03T10:05:00.000Z', chains: heads, source: 'cp.jsonl', line: 1 },
        { takenAt: '2026-12-03T10:05:00.000Z', chains: heads, source: 'cp.jsonl', line: 2 },
      ],
      problems: [],
    });
  });

  it('are read from the log lines an operator exports, even restringified, passing over the other log lines', () => {
    const written: string[] = [];
    void new LogCheckpointSink((text) => written.push(text)).append(
      signCheckpoint(TEST_AUDIT_KEY, takenAt, heads),
    );
    const stringified = JSON.stringify({
      ...JSON.parse(written[0] ?? ''),
      auditCheckpoint: JSON.stringify(signCheckpoint(TEST_AUDIT_KEY, takenAt, heads)),
    });
    const log = [
      '{"level":30,"time":1,"msg":"request completed"}\n',
      ...written,
      `${stringified}\n`,
      '{"level":30,"time":2,"msg":"incoming request"}\n',
    ].join('');
    expect(JSON.parse(written[0] ?? '')).toMatchObject({ level: 30, msg: 'audit checkpoint' });
    const read = readCheckpoints(TEST_AUDIT_KEY, log, 'export.log');
    expect(read.problems).toEqual([]);
    expect(read.checkpoints.map((c) => [c.line, c.chains])).toEqual([
      [2, heads],
      [3, heads],
    ]);
  });

  it('are not used, and each is named, when changed, signed with another key, garbled or cut short', () => {
    const tampered = line.replace('"count":12', '"count":11');
    const otherKey = checkpointFileLine(signCheckpoint(WRONG_AUDIT_KEY, takenAt, heads));
    const text = [line, tampered, otherKey, 'hello\n', '{"v":1}\n', line.slice(0, 40)].join('');
    const read = readCheckpoints(TEST_AUDIT_KEY, text, 'cp.jsonl');
    expect(read.checkpoints.map((c) => c.line)).toEqual([1]);
    expect(read.problems.map((p) => p.message)).toEqual([
      'Line 2 of cp.jsonl does not match its signature: it was changed after it was written. It was not used.',
      `Line 3 of cp.jsonl was signed with another audit key (key id ${WRONG_AUDIT_KEY.id}; this key's id is ${TEST_AUDIT_KEY.id}). It was not used.`,
      'Line 4 of cp.jsonl is not a checkpoint: it was changed or damaged. It was not used.',
      'Line 5 of cp.jsonl is not a checkpoint in the expected form: it was changed or damaged. It was not used.',
      'Line 6 of cp.jsonl is not a whole checkpoint: cut short (the service may have stopped while writing it) or changed. It was not used.',
    ]);
  });
});
