/**
 * Focuses and selects a field a component just rendered. The browser
 * ignores `autofocus` inside a shadow root, so a field that opens on a click
 * (a rename, a preset name) is focused from code.
 */
export function focusField(root: ParentNode, selector: string): void {
  const input = root.querySelector<HTMLInputElement>(selector);
  input?.focus();
  input?.select();
}
