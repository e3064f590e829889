/** The shared vocabulary of app, worklet host and relay. */
export * from './errors.ts';
export * from './ids.ts';
export * from './units.ts';
export * from './plugin.ts';
export * from './session.ts';
export * from './ops.ts';
export * from './controls.ts';
export * from './messages.ts';
export * from './parse.ts';
export * from './midi-mapping.ts';
export * from './invites.ts';
export * from './session-listing.ts';
