import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "./exitCodes.js";

/**
 * Makes sure an output folder exists and is writable before anything runs. A folder the user named
 * (`explicit`) is created only when its parent exists, so a typo in a path is an error rather than
 * a new tree of folders; a default folder (`.rebound/…`) is created with its parents.
 *
 * @param flag the flag that named the folder, for the message ("--report")
 * @example
 * ```ts
 * prepareOutputFolder("--report", "out/reports", true);
 * ```
 */
export function prepareOutputFolder(flag: string, dir: string, explicit: boolean): void {
  if (explicit) {
    const parent = dirname(dir);
    if (!isFolder(parent) && !isFolder(dir))
      throw new InputError([
        `${flag} ${dir}: the folder ${parent} does not exist; create it first or pick another`,
      ]);
  }
  if (exists(dir) && !isFolder(dir))
    throw new InputError([`${flag} ${dir} is a file, not a folder; pick a folder`]);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(
      [
        `${flag} ${dir}: cannot create this folder (${(error as { code?: string }).code ?? (error as Error).message}); pick another`,
      ],
      { cause: error },
    );
  }
  if (!isFolder(dir)) throw new InputError([`${flag} ${dir} is a file, not a folder; pick a folder`]);
  checkWritable(flag, dir);
}

/**
 * Checks that the folder a file goes to (`--trace FILE`) exists and is writable, and that the path
 * is not itself a folder.
 *
 * @example
 * ```ts
 * checkOutputFile("--trace", "runs/trace.txt");
 * ```
 */
export function checkOutputFile(flag: string, file: string): void {
  const dir = dirname(file);
  if (!isFolder(dir))
    throw new InputError([
      `${flag} ${file}: the folder ${dir} does not exist; create it first or pick another`,
    ]);
  if (isFolder(file)) throw new InputError([`${flag} ${file} is a folder; give a file name`]);
  checkWritable(flag, dir);
}

function checkWritable(flag: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new InputError([`${flag}: cannot write to ${dir}; check its permissions or pick another folder`], {
      cause: error,
    });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
