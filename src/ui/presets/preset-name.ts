/** Said when a preset would be saved or renamed under a blank name, which its menu could not show. */
export const BLANK_PRESET_NAME = 'Type a name for the preset: spaces alone are not a name.';
