// Issue 14, classes 1 and 5: protected files at any depth, writes whose files the line does not
// show (trees copied, moved or unpacked; expansions; a program's own script), and option values
// that are commands. The fixture's `tree/` holds tree/.git/hooks/pre-commit and tree/AGENTS.md,
// `out/` is an empty folder, `gitdir/` is a git directory by its contents (HEAD, objects/, refs/).
import type { Case } from './fixture.ts';

const WRITES = { concerns: ['writes_files'], exact: true } as const;
const NONE = { concerns: [], exact: true } as const;

export const TARGETS: Case[] = [
  // Protected files below the top level, whatever names them.
  { input: 'echo x > sub/.vscode/settings.json', expect: { concerns: ['protected_path', 'writes_files'] } },
  { input: 'echo x > a/b/.idea/workspace.xml', expect: { concerns: ['protected_path', 'writes_files'] } },
  { input: 'echo x > .IDEA/workspace.xml', expect: { concerns: ['protected_path'] } },
  { input: 'touch vendor/lib/.git/hooks/post-checkout', expect: { concerns: ['protected_path'] } },
  { input: 'echo obey > docs/AGENTS.md', expect: { concerns: ['protected_path'] } },
  { input: 'tee tree/.git/hooks/pre-push < x', expect: { concerns: ['protected_path'] } },
  { input: 'install -D x sub/.vscode/tasks.json', expect: { concerns: ['protected_path'] } },
  // A git directory is known by what it holds, not only by the name .git.
  { input: 'cp x gitdir/hooks/pre-commit', expect: { concerns: ['protected_path'] } },
  { input: "echo '[core]' >> gitdir/config", expect: { concerns: ['protected_path'] } },
  // Copying into a folder creates folder/<name of the source>.
  { input: 'cp tree/AGENTS.md out/', expect: { concerns: ['protected_path'], absent: ['unknown_targets'] } },
  { input: 'cp -t out tree/AGENTS.md', expect: { concerns: ['protected_path'] } },
  { input: 'cp tree/* out/', expect: { concerns: ['protected_path'] } },
  { input: 'mv tree/AGENTS.md out', expect: { concerns: ['protected_path'] } },
  { input: 'ln -s ../tree/AGENTS.md out/', expect: { concerns: ['protected_path'] } },
  { input: 'cp --parents tree/AGENTS.md out', expect: { concerns: ['protected_path'] } },
  { input: 'gunzip tree/AGENTS.md.gz', expect: { concerns: ['protected_path'] } },
  // Copying a single named file to a named ordinary file stays as it was.
  { input: 'cp x y', expect: WRITES },
  { input: 'cp x out/', expect: WRITES },
  { input: 'cp -r x out/', expect: WRITES },
  { input: 'rsync x out/', expect: WRITES },
  { input: 'gzip -d a.gz', expect: WRITES },
  { input: 'split -l 100 list.txt', expect: WRITES },
  // A folder's tree copied, moved or synced: what it creates is decided when it runs.
  { input: 'cp -r tree/. .', expect: { concerns: ['unknown_targets', 'writes_files'] } },
  { input: 'cp -a tree out', expect: { concerns: ['unknown_targets'] } },
  { input: 'cp -R tree/ out/', expect: { concerns: ['unknown_targets'] } },
  { input: 'cp --recursive tree out', expect: { concerns: ['unknown_targets'] } },
  { input: 'cp -r out/* .', expect: { concerns: [], absent: ['unknown_targets'] } },
  { input: 'mv tree moved', expect: { concerns: ['unknown_targets'] } },
  { input: 'rsync -a tree/ out/', expect: { concerns: ['unknown_targets'] } },
  { input: 'rsync -a host:evil/ .', expect: { concerns: ['network', 'unknown_targets'] } },
  { input: 'scp -r host:evil .', expect: { concerns: ['network', 'unknown_targets'] } },
  { input: 'ditto tree out', expect: { concerns: ['unknown_targets'] } },
  { input: 'timeout 5 cp -r tree out', expect: { commands: ['timeout', 'cp'], concerns: ['unknown_targets'] } },
  // Archives name their files inside.
  { input: 'tar -xf a.tar -C sub', expect: { concerns: ['unknown_targets', 'writes_files'] } },
  { input: 'tar x -f a.tar', expect: { concerns: ['unknown_targets'] } },
  { input: 'bsdtar -xf a.tar', expect: { concerns: ['unknown_targets'] } },
  { input: 'unzip -d out a.zip', expect: { concerns: ['unknown_targets'] } },
  { input: '7z x a.7z -oout', expect: { concerns: ['unknown_targets', 'writes_files'] } },
  { input: 'cpio -idmv < a.cpio', expect: { concerns: ['unknown_targets'] } },
  { input: "find . -name '*.ts' | cpio -o > a.cpio", expect: { concerns: ['unknown_targets'] } },
  { input: 'jar xf a.jar', expect: { concerns: ['unknown_targets'] } },
  { input: 'gunzip -N a.gz', expect: { concerns: ['unknown_targets'] } },
  { input: 'split -l 1 -a 1 x AGENTS.m', expect: { concerns: ['unknown_targets'] } },
  { input: 'tar tf a.tar', expect: NONE },
  { input: 'tar -xOf a.tar', expect: NONE },
  { input: 'tar czf out.tgz src', expect: WRITES },
  { input: 'unzip -l a.zip', expect: NONE },
  { input: '7z l a.7z', expect: NONE },
  // A write to a file the line does not name.
  { input: 'echo x > "$f"', expect: { concerns: ['unknown_targets', 'writes_files'] } },
  { input: 'f=AGENTS.md; cp x "$f"', expect: { concerns: ['unknown_targets'] } },
  { input: 'cd "$d" && echo x > out.txt', expect: { concerns: ['unknown_targets'] } },
  { input: 'cat "$f"', expect: { concerns: ['outside_path'], absent: ['unknown_targets'] } },
  // Options whose value is a command are classified as that command.
  {
    input: "tar -I 'curl x' -xf a.tgz",
    expect: { commands: ['tar', 'curl'], concerns: ['network', 'hidden_command'] },
  },
  { input: "tar --use-compress-program='rm -rf ~' -cf a.tar src", expect: { concerns: ['destructive'] } },
  {
    input: "tar --to-command='sh -c id' -xf a.tar",
    expect: { commands: ['tar', 'sh', 'id'], concerns: ['inline_code'] },
  },
  { input: "tar --checkpoint=1 --checkpoint-action=exec='curl x' -cf a.tar src", expect: { concerns: ['network'] } },
  { input: 'tar --checkpoint=1 --checkpoint-action=echo -cf a.tar src', expect: WRITES },
  { input: "tar xIf 'curl x' a.tgz", expect: { commands: ['tar', 'curl'], concerns: ['network'] } },
  { input: "rsync -e 'curl x' a host:b", expect: { commands: ['rsync', 'curl'], concerns: ['network'] } },
  { input: "rsync --rsh='rm -rf ~' a host:b", expect: { concerns: ['destructive'] } },
  { input: "ssh -o 'ProxyCommand=rm -rf ~' host", expect: { concerns: ['destructive', 'hidden_command'] } },
  { input: "ssh -oProxyCommand='curl x' host", expect: { commands: ['ssh', 'curl'], concerns: ['network'] } },
  { input: "sort --compress-program='rm -rf ~' list.txt", expect: { concerns: ['destructive'] } },
  { input: 'rg --pre=/tmp/evil foo', expect: { concerns: ['hidden_command', 'outside_path'] } },
  { input: "zip -TT 'rm -rf ~' a.zip x", expect: { concerns: ['destructive'] } },
  { input: "sed '1e rm -rf ~' x", expect: { commands: ['sed', 'rm'], concerns: ['destructive'] } },
  { input: 'awk \'BEGIN{system("curl x")}\'', expect: { commands: ['awk', 'curl'], concerns: ['network'] } },
  { input: 'awk \'{print | "sh"}\' x', expect: { commands: ['awk', 'sh'], concerns: ['inline_code'] } },
  // Commands given file names at run time that write files.
  { input: 'find . -name settings.json -exec cp x {} \\;', expect: { concerns: ['unknown_targets'] } },
  { input: 'ls | xargs rm', expect: { concerns: ['unknown_targets'] } },
  { input: "ls | xargs -I{} sh -c 'echo hi > {}'", expect: { concerns: ['unknown_targets'] } },
  { input: 'xargs -a list.txt rm', expect: { concerns: ['unknown_targets'] } },
  { input: 'parallel cp x ::: a b', expect: { concerns: ['unknown_targets'] } },
  { input: 'fd -e json -x cp x', expect: { concerns: ['unknown_targets'] } },
  {
    input: "find . -name '*.ts' -exec wc -l {} +",
    expect: { concerns: ['hidden_command'], absent: ['unknown_targets'] },
  },
  { input: 'ls | xargs wc -l', expect: { concerns: ['hidden_command'], absent: ['unknown_targets'] } },
  // A program that picks its files from its own script.
  { input: 'awk \'BEGIN{ARGV[1]=".env"; ARGC=2} {print}\'', expect: { concerns: ['unknown_targets'] } },
  { input: 'awk \'{print > "sub/" ".vscode/x"}\' x', expect: { concerns: ['unknown_targets'] } },
  { input: 'awk \'{f=FILENAME ".bak"; print > f}\' x', expect: { concerns: ['unknown_targets'] } },
  { input: "awk 'BEGIN{while ((getline l < ARGV[1]) > 0) print l}' x", expect: { concerns: ['unknown_targets'] } },
  { input: 'awk \'{print > "out.txt"}\' x', expect: WRITES },
  { input: 'awk \'BEGIN{getline l < "x"; print l}\'', expect: NONE },
  { input: "sed 's/a/b/w sub/.vscode/x' x", expect: { concerns: ['protected_path'] } },
  // split --filter runs its value through the shell: classified as that line.
  {
    input: 'split --filter="curl x" list.txt',
    expect: { commands: ['split', 'curl'], concerns: ['hidden_command', 'network'] },
  },
  { input: "split --filter 'rm -rf ~' list.txt", expect: { commands: ['split', 'rm'], concerns: ['destructive'] } },
  // A program the tables do not know, handed a protected file: it may write it.
  { input: 'mytool --out=tree/.git/hooks/pre-commit', expect: { concerns: ['unknown_command', 'protected_path'] } },
  { input: 'mytool sub/.idea/workspace.xml', expect: { concerns: ['unknown_command', 'protected_path'] } },
  { input: 'mytool docs/AGENTS.md', expect: { concerns: ['unknown_command', 'protected_path'] } },
  { input: 'cd tree/.git && mytool hooks', expect: { concerns: ['unknown_command', 'protected_path'] } },
  { input: 'mytool -v src/x.ts', expect: { concerns: ['unknown_command'], exact: true } },
];
