/** Runs `then` once `count` has stayed the same for `idleMs` (checked every `idleMs`; never keeps the process alive). */
export function whenIdle(count: () => number, idleMs: number, then: () => void): { cancel(): void } {
  let seen = count();
  let timer = setTimeout(function check() {
    const now = count();
    if (now === seen) return then();
    seen = now;
    timer = setTimeout(check, idleMs).unref();
  }, idleMs).unref();
  return { cancel: () => clearTimeout(timer) };
}
