/** Every CLI command; add one by importing it here. */
import type { Command } from "../command.js";
import { runCommand } from "./run.js";
import { alertsFailedCommand } from "./alerts-failed.js";
import { alertsRetryCommand } from "./alerts-retry.js";
import { classifyCommand } from "./classify.js";
import { evalCommand } from "./eval.js";
import { trainCommand } from "./train.js";
import { dedupeCommand } from "./dedupe.js";
import { clustersCommand } from "./clusters.js";
import { checkFeedCommand } from "./check-feed.js";
import { feedsCommand } from "./feeds.js";
import { feedsImportCommand } from "./feeds-import.js";
import { feedsExportCommand } from "./feeds-export.js";

export const COMMANDS: Command[] = [runCommand, alertsFailedCommand, alertsRetryCommand, classifyCommand, evalCommand, trainCommand, dedupeCommand, clustersCommand, checkFeedCommand, feedsCommand, feedsImportCommand, feedsExportCommand];
