/** Every CLI command; add one by importing it here. */
import type { Command } from "../command.js";
import { runCommand } from "./run.js";

export const COMMANDS: Command[] = [runCommand];
