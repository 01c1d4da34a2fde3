// The file seam every layer above reads and writes workspace files through. It lives here, below the
// tools that use it, because its two implementations (disk-files.ts, editor-files.ts) are here.

/** File access for tools that read or write workspace files. Headless: the disk. In VS Code: open
 * buffers and `workspace/applyEdit`, so agent edits land in the editor's undo stack. */
export interface WorkspaceFiles {
  /** Raw bytes of a file (an open editor buffer wins over the disk). Throws ENOENT like fs. */
  readBytes(absPath: string): Promise<Buffer>;
  /** Replace a file's whole content atomically (temp file + rename on disk). Creates parent folders. */
  writeText(absPath: string, content: string): Promise<void>;
}
