// A regular file with more than one name (hard links) may be another name for a file outside the
// workspace: `ln /home/me/secret.txt ws/notes.txt` leaves a file that every path check places inside,
// yet reading it shows the outside file and writing it in place changes that file (the sandbox's
// workspace mount included: it is the same inode). Where the other names are cannot be found without
// searching every file system, so any second name counts. Folders always have several links (`.`,
// `..` of their subfolders) and are not files: only regular files count.
import fs from 'node:fs';

/** Why `abs` (following symlinks) may be another name for a file outside the workspace, naming it
 * as `shown`; undefined for a file with one name, a folder, or a path that does not exist. Sync:
 * the shell classifier and grep's withholding ask it in the middle of synchronous work. */
export function hardLinkReason(abs: string, shown: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return undefined;
  }
  if (!st.isFile() || st.nlink <= 1) return undefined;
  return `${shown} has ${st.nlink} hard links: it may be another name for a file outside the workspace`;
}
