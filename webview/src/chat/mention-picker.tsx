// The @-mention picker: a list over the task box of the special mentions and the workspace files that
// match what is typed after '@'. It never takes focus: the task box keeps it and drives the list with
// the arrow keys (see composer.tsx); the mouse picks too.
import type { PickerOption } from '../state/mentions.ts';

const ICON: Record<PickerOption['kind'], string> = {
  file: 'file',
  folder: 'folder',
  selection: 'selection',
  problems: 'warning',
  'git-changes': 'git-compare',
  terminal: 'terminal',
  url: 'globe',
};

export const PICKER_ID = 'agio-mention-picker';
export const optionId = (i: number) => `${PICKER_ID}-${i}`;

export function MentionPicker({
  options,
  active,
  searching,
  onPick,
  onHover,
}: {
  options: readonly PickerOption[];
  active: number;
  /** A file search is still on its way: said, so an empty list is not mistaken for "no match". */
  searching: boolean;
  onPick: (o: PickerOption) => void;
  onHover: (i: number) => void;
}) {
  return (
    <div class="mention-picker" id={PICKER_ID} role="listbox" aria-label="Mentions">
      {options.map((o, i) => (
        // biome-ignore lint/a11y/useFocusableInteractive: options are reached through aria-activedescendant; focus stays in the task box
        <div
          key={o.key}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          class={`mention-option ${i === active ? 'active' : ''}`}
          // mousedown, not click: the task box must not lose focus (and the caret) before the pick.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(o);
          }}
          onMouseEnter={() => onHover(i)}
        >
          <i class={`codicon codicon-${ICON[o.kind]}`} aria-hidden="true" />
          <span class="mention-label">{o.label}</span>
          <span class="mention-detail">{o.detail}</span>
        </div>
      ))}
      {options.length === 0 && (
        <div class="mention-empty">{searching ? 'Searching…' : 'No matching file or mention'}</div>
      )}
    </div>
  );
}
