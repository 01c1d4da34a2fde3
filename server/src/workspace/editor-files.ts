// File access when the server runs behind an editor: reads see unsaved editor buffers, and writes go
// through `workspace/applyEdit`, so an agent edit lands in the editor's undo stack (Ctrl+Z undoes it).
// After the edit the client is asked to save, so the disk matches what the user sees.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SaveDocument } from '../protocol/methods.ts';
import type { WorkspaceFiles } from '../tools/types.ts';
import type { DiskFiles } from './disk-files.ts';

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
    return open ? Buffer.from(open.getText(), 'utf8') : readFile(absPath);
  }

  async writeText(absPath: string, content: string): Promise<void> {
    const uri = pathToFileURL(absPath).href;
    let exists = true;
    let current = this.documents.get(uri)?.getText();
    if (current === undefined) {
      try {
        current = await readFile(absPath, 'utf8');
      } catch {
        exists = false;
        current = '';
      }
    }
    const lines = current.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    const result = await this.connection.workspace.applyEdit({
      label: 'Agio edit',
      documentChanges: [
        ...(exists ? [] : [{ kind: 'create' as const, uri, options: { ignoreIfExists: true } }]),
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: content }] },
      ],
    });
    if (!result.applied) {
      throw new Error(`the editor refused the edit to ${absPath}${result.failureReason ? `: ${result.failureReason}` : ''}`);
    }
    const saved = await this.connection.sendRequest(SaveDocument.method, { uri });
    if (!SaveDocument.result.parse(saved).saved) {
      // The edit is in the editor but not on disk: write the same text atomically so both agree.
      await this.disk.writeText(absPath, content);
    }
  }
}
