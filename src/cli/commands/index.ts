/** Every CLI command; add one by importing it here. */
import type { Command } from "../command.js";
import { runCommand } from "./run.js";
import { alertsFailedCommand } from "./alerts-failed.js";
import { alertsRetryCommand } from "./alerts-retry.js";
import { alertsPendingCommand } from "./alerts-pending.js";
import { jobsFailedCommand } from "./jobs-failed.js";
import { jobsRetryCommand } from "./jobs-retry.js";
import { classifyCommand } from "./classify.js";
import { evalCommand } from "./eval.js";
import { trainCommand } from "./train.js";
import { dedupeCommand } from "./dedupe.js";
import { clustersCommand } from "./clusters.js";
import { checkFeedCommand } from "./check-feed.js";
import { feedsCommand } from "./feeds.js";
import { feedsImportCommand } from "./feeds-import.js";
import { feedsExportCommand } from "./feeds-export.js";
import { replayCommand } from "./replay.js";
import { explainCommand } from "./explain.js";
import { checkCommand } from "./check.js";

export const COMMANDS: Command[] = [runCommand, alertsFailedCommand, alertsRetryCommand, alertsPendingCommand, jobsFailedCommand, jobsRetryCommand, classifyCommand, evalCommand, trainCommand, dedupeCommand, clustersCommand, checkFeedCommand, feedsCommand, feedsImportCommand, feedsExportCommand, replayCommand, explainCommand, checkCommand];
