/**
 * The bars the eval output and the dev-set tests hold the system to, in one
 * place. They are the targets the issues set for the hidden labeled set
 * (issue 9 for dedupe), so a run on other data reads them as a yardstick,
 * not a pass/fail verdict on that data.
 */
export const EVAL_BARS = {
  classifier: {
    /** Title + description. */
    precision: 0.85,
    recall: 0.95,
    f1: 0.9,
    /** Headlines alone, as for feeds without descriptions. */
    titlesOnlyF1: 0.85,
    /** F1 above the keyword alert's (src/eval/baseline.ts). */
    marginOverBaseline: 0.2,
  },
  dedupe: {
    /** Same-event pairwise F1 over event ids. */
    f1: 0.93,
    /**
     * Not a target but a regression floor: the shipped method reaches F1 0.9289 on
     * ../shared/eval/dev.jsonl (P 0.905, R 0.955; thresholds fitted on data/labeled
     * only, never on dev), below `f1`. The dev test fails if a change drops under it.
     */
    devF1Floor: 0.928,
    /** Share of the reference event's reports marked known-event. */
    referenceRecall: 0.95,
    /** Stories of other events marked known-event. */
    wrongKnown: 0,
  },
} as const;
