// The --vscode-* variables a webview gets from VS Code's default themes (Dark Modern, Light Modern),
// limited to the ones the panel uses, so the harness renders as the panel looks in VS Code.

export type ThemeName = 'dark' | 'light';

const FONTS = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '14px',
};

const DARK_MODERN: Record<string, string> = {
  ...FONTS,
  foreground: '#CCCCCC', descriptionForeground: '#9D9D9D', errorForeground: '#F85149', focusBorder: '#0078D4',
  'editor-background': '#1F1F1F', 'editor-foreground': '#CCCCCC', 'sideBar-background': '#181818',
  'panel-border': '#2B2B2B', 'widget-border': '#313131', 'widget-shadow': '#0000005C',
  'editorWidget-background': '#202020', 'editorLineNumber-foreground': '#6E7681',
  'button-background': '#0078D4', 'button-foreground': '#FFFFFF', 'button-hoverBackground': '#026EC1', 'button-border': '#FFFFFF12',
  'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#CCCCCC', 'button-secondaryHoverBackground': '#3C3C3C',
  'input-background': '#313131', 'input-foreground': '#CCCCCC', 'input-border': '#3C3C3C', 'input-placeholderForeground': '#989898',
  'dropdown-background': '#313131', 'dropdown-foreground': '#CCCCCC', 'dropdown-border': '#3C3C3C',
  'textLink-foreground': '#4DAAFC', 'textLink-activeForeground': '#4DAAFC',
  'textCodeBlock-background': '#2B2B2B', 'textPreformat-foreground': '#D0D0D0', 'textPreformat-background': '#3C3C3C',
  'textBlockQuote-background': '#2B2B2B', 'textBlockQuote-border': '#616161',
  'badge-background': '#616161', 'badge-foreground': '#F8F8F8',
  'list-hoverBackground': '#2A2D2E', 'list-inactiveSelectionBackground': '#37373D', 'toolbar-hoverBackground': '#5A5D5E50',
  'panelTitle-activeBorder': '#0078D4', 'panelTitle-activeForeground': '#CCCCCC', 'panelTitle-inactiveForeground': '#9D9D9D',
  'editorWarning-foreground': '#CCA700', 'editorError-foreground': '#F14C4C', 'testing-iconPassed': '#73C991',
  'inputValidation-warningBackground': '#352A05', 'inputValidation-warningBorder': '#B89500',
  'inputValidation-errorBackground': '#5A1D1D', 'inputValidation-errorBorder': '#BE1100',
  'diffEditor-insertedTextBackground': '#9CCC2C33', 'diffEditor-removedTextBackground': '#FF000033',
  'diffEditor-insertedLineBackground': '#9BB95533', 'diffEditor-removedLineBackground': '#FF000033',
  'gitDecoration-addedResourceForeground': '#81B88B', 'gitDecoration-deletedResourceForeground': '#C74E39',
  'charts-foreground': '#CCCCCC', 'charts-lines': '#CCCCCC80', 'charts-red': '#F14C4C', 'charts-blue': '#3794FF',
  'charts-yellow': '#CCA700', 'charts-orange': '#D18616', 'charts-green': '#89D185', 'charts-purple': '#B180D7',
  'keybindingLabel-background': '#8080802B', 'keybindingLabel-foreground': '#CCCCCC',
  'keybindingLabel-border': '#33333399', 'keybindingLabel-bottomBorder': '#44444499',
  'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464B3', 'scrollbarSlider-activeBackground': '#BFBFBF66',
  'debugTokenExpression-name': '#C586C0', 'debugTokenExpression-string': '#CE9178', 'debugTokenExpression-boolean': '#4E94CE',
  'debugTokenExpression-number': '#B5CEA8', 'symbolIcon-classForeground': '#EE9D28',
};

const LIGHT_MODERN: Record<string, string> = {
  ...FONTS,
  foreground: '#3B3B3B', descriptionForeground: '#3B3B3B', errorForeground: '#F85149', focusBorder: '#005FB8',
  'editor-background': '#FFFFFF', 'editor-foreground': '#3B3B3B', 'sideBar-background': '#F8F8F8',
  'panel-border': '#E5E5E5', 'widget-border': '#E5E5E5', 'widget-shadow': '#00000029',
  'editorWidget-background': '#F8F8F8', 'editorLineNumber-foreground': '#6E7681',
  'button-background': '#005FB8', 'button-foreground': '#FFFFFF', 'button-hoverBackground': '#0258A8', 'button-border': '#0000001A',
  'button-secondaryBackground': '#E5E5E5', 'button-secondaryForeground': '#3B3B3B', 'button-secondaryHoverBackground': '#CCCCCC',
  'input-background': '#FFFFFF', 'input-foreground': '#3B3B3B', 'input-border': '#CECECE', 'input-placeholderForeground': '#767676',
  'dropdown-background': '#FFFFFF', 'dropdown-foreground': '#3B3B3B', 'dropdown-border': '#CECECE',
  'textLink-foreground': '#005FB8', 'textLink-activeForeground': '#005FB8',
  'textCodeBlock-background': '#F8F8F8', 'textPreformat-foreground': '#3B3B3B', 'textPreformat-background': '#0000001F',
  'textBlockQuote-background': '#F8F8F8', 'textBlockQuote-border': '#E5E5E5',
  'badge-background': '#CCCCCC', 'badge-foreground': '#3B3B3B',
  'list-hoverBackground': '#F2F2F2', 'list-inactiveSelectionBackground': '#E4E6F1', 'toolbar-hoverBackground': '#B8B8B850',
  'panelTitle-activeBorder': '#005FB8', 'panelTitle-activeForeground': '#3B3B3B', 'panelTitle-inactiveForeground': '#3B3B3B',
  'editorWarning-foreground': '#BF8803', 'editorError-foreground': '#E51400', 'testing-iconPassed': '#388A34',
  'inputValidation-warningBackground': '#F6F5D2', 'inputValidation-warningBorder': '#B89500',
  'inputValidation-errorBackground': '#F2DEDE', 'inputValidation-errorBorder': '#BE1100',
  'diffEditor-insertedTextBackground': '#9CCC2C40', 'diffEditor-removedTextBackground': '#FF000033',
  'diffEditor-insertedLineBackground': '#9BB95533', 'diffEditor-removedLineBackground': '#FF000033',
  'gitDecoration-addedResourceForeground': '#587C0C', 'gitDecoration-deletedResourceForeground': '#AD0707',
  'charts-foreground': '#3B3B3B', 'charts-lines': '#3B3B3B80', 'charts-red': '#E51400', 'charts-blue': '#1A85FF',
  'charts-yellow': '#BF8803', 'charts-orange': '#D18616', 'charts-green': '#388A34', 'charts-purple': '#652D90',
  'keybindingLabel-background': '#DDDDDD66', 'keybindingLabel-foreground': '#3B3B3B',
  'keybindingLabel-border': '#CCCCCC66', 'keybindingLabel-bottomBorder': '#BBBBBB66',
  'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464B3', 'scrollbarSlider-activeBackground': '#00000099',
  'debugTokenExpression-name': '#9B46B0', 'debugTokenExpression-string': '#A31515', 'debugTokenExpression-boolean': '#0000FF',
  'debugTokenExpression-number': '#098658', 'symbolIcon-classForeground': '#D67E00',
};

/** Sets the variables the way VS Code does (on <html>, through CSSOM: no inline style markup). */
export function applyTheme(name: ThemeName): void {
  const vars = name === 'light' ? LIGHT_MODERN : DARK_MODERN;
  const style = document.documentElement.style;
  for (const [k, v] of Object.entries(vars)) style.setProperty(`--vscode-${k}`, v);
  document.body.classList.add(name === 'light' ? 'vscode-light' : 'vscode-dark');
  document.body.dataset.vscodeThemeKind = name === 'light' ? 'vscode-light' : 'vscode-dark';
}
