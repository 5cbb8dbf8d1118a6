import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { whenIdle } from '../../server/when-idle.ts';

describe('whenIdle', () => {
  it('runs once the count has stopped changing for the whole wait, however long it kept changing', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let requests = 0;
    const then = mock.fn();
    whenIdle(() => requests, 1000, then);
    // Busy for five seconds: a request every 100 ms.
    for (let ms = 0; ms < 5000; ms += 100) {
      requests++;
      t.mock.timers.tick(100);
    }
    assert.equal(then.mock.callCount(), 0);
    t.mock.timers.tick(2000);
    assert.equal(then.mock.callCount(), 1);
    t.mock.timers.tick(10_000);
    assert.equal(then.mock.callCount(), 1, 'once');
  });

  it('runs after the wait when nothing comes at all, and never once cancelled', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const idle = mock.fn();
    whenIdle(() => 0, 1000, idle);
    t.mock.timers.tick(1000);
    assert.equal(idle.mock.callCount(), 1);

    const cancelled = mock.fn();
    let requests = 0;
    const waiting = whenIdle(() => requests, 1000, cancelled);
    requests++;
    t.mock.timers.tick(1000);
    waiting.cancel();
    t.mock.timers.tick(5000);
    assert.equal(cancelled.mock.callCount(), 0);
  });
});
