/** The pipeline's queues, in flow order. */
export const QUEUES = { poll: "poll", classify: "classify", dedupe: "dedupe", alert: "alert" } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const STAGES = Object.values(QUEUES);

/** Job names are verb-noun. */
export const JOB_NAMES = {
  poll: "poll-feed",
  classify: "classify-stories",
  dedupe: "dedupe-story",
  alert: "send-alert",
} as const satisfies Record<QueueName, string>;
