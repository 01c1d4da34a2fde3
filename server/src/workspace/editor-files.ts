// File access when the server runs behind an editor: reads see unsaved editor buffers, and a write to a
// file open in an editor goes through `workspace/applyEdit`, so the agent's edit lands in that editor's
// undo stack (Ctrl+Z undoes it); the client is then asked to save, so the disk matches what the user
// sees. Files no editor has open are written to disk directly. grep sees unsaved buffers too; listing
// (ls, find) is the disk's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SaveDocument } from '../protocol/methods.ts';
import type { DirEntry, FileFacts, SearchQuery, SearchResult, WorkspaceFiles } from './files.ts';
import { searchWithBuffers, type UnsavedBuffer } from './buffer-search.ts';
import type { DiskFiles } from './disk-files.ts';
import { isInside } from './paths.ts';

export class EditorFiles implements WorkspaceFiles {
  private readonly connection: Connection;
  private readonly documents: TextDocuments<TextDocument>;
  /** Used when the client cannot apply edits (a client without applyEdit support, or it refused). */
  private readonly disk: DiskFiles;

  constructor(connection: Connection, documents: TextDocuments<TextDocument>, disk: DiskFiles) {
    this.connection = connection;
    this.documents = documents;
    this.disk = disk;
  }

  async readBytes(absPath: string): Promise<Buffer> {
    const open = this.documents.get(pathToFileURL(absPath).href);
    return open ? Buffer.from(open.getText(), 'utf8') : this.disk.readBytes(absPath);
  }

  /** An open buffer is in memory already: it comes as one chunk. A file no editor has open is read
   * from the disk a chunk at a time. */
  async *readChunks(absPath: string): AsyncIterable<Buffer> {
    const open = this.documents.get(pathToFileURL(absPath).href);
    if (open) yield Buffer.from(open.getText(), 'utf8');
    else yield* this.disk.readChunks(absPath);
  }

  stat(absPath: string): Promise<FileFacts> {
    return this.disk.stat(absPath);
  }

  lstat(absPath: string): Promise<FileFacts> {
    return this.disk.lstat(absPath);
  }

  readDir(absPath: string): Promise<DirEntry[]> {
    return this.disk.readDir(absPath);
  }

  readLink(absPath: string): Promise<string> {
    return this.disk.readLink(absPath);
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    return searchWithBuffers((query) => this.disk.search(query), q, q.matchFlags ? await this.unsaved(q.cwd) : []);
  }

  /** Open documents under `root` whose text is not what their file holds on disk (a file missing on
   * disk is left out: rg would not find it to search). */
  private async unsaved(root: string): Promise<UnsavedBuffer[]> {
    const out: UnsavedBuffer[] = [];
    for (const doc of this.documents.all()) {
      if (!doc.uri.startsWith('file:')) continue;
      const abs = fileURLToPath(doc.uri);
      if (!isInside(root, abs)) continue;
      const text = doc.getText();
      const onDisk = await readFile(abs, 'utf8').catch(() => undefined);
      if (onDisk !== undefined && onDisk !== text)
        out.push({ rel: path.relative(root, abs).split(path.sep).join('/'), text });
    }
    return out;
  }

  async writeText(absPath: string, content: string): Promise<void> {
    const uri = pathToFileURL(absPath).href;
    const current = this.documents.get(uri)?.getText();
    // A file no editor has open has no undo stack to land in: written straight to disk (atomically),
    // it is on disk in milliseconds, where applyEdit would open a model for it in the workbench and
    // save it again (~150 ms in code-server, bench/approval-latency.bench.ts). Restore undoes it.
    if (current === undefined) return this.disk.writeText(absPath, content);
    const lines = current.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    const result = await this.connection.workspace.applyEdit({
      label: 'Agio edit',
      documentChanges: [
        {
          textDocument: { uri, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: content }],
        },
      ],
    });
    if (!result.applied) {
      throw new Error(
        `the editor refused the edit to ${absPath}${result.failureReason ? `: ${result.failureReason}` : ''}`,
      );
    }
    const saved = await this.connection.sendRequest(SaveDocument.method, { uri });
    if (!SaveDocument.result.parse(saved).saved) {
      // The edit is in the editor but not on disk: write the same text atomically so both agree.
      await this.disk.writeText(absPath, content);
    }
  }
}
