/** Time is passed in, so that tests can set it. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
