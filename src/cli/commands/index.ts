/** Every CLI command; add one by importing it here. */
import type { Command } from "../command.js";

export const COMMANDS: Command[] = [];
