/**
 * What a valid config may still get wrong: logged when the service starts or
 * reloads and printed by `newswatch check`, but never a reason to refuse it.
 */
import { webhookName } from "./sections/alerts.js";
import type { Config } from "./schema.js";

export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.feeds.length === 0) warnings.push("feeds: the list is empty; no feed will be polled");
  config.alerts.webhooks.forEach((hook, i) => {
    if (hook.secret === undefined || hook.secret === "") {
      warnings.push(`alerts.webhooks[${i}].secret: not set; deliveries to ${webhookName(hook, i)} are unsigned, so its receiver cannot tell them from forgeries`);
    }
  });
  return warnings;
}
