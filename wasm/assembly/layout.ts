// WASM CONTRACT: memory layout shared with wasm/host/engine-core.ts.
//
// Every region is allocated once, in setup(), from the module's heap; only
// structural commands (a delay line for a new delay plugin, sample data) may
// allocate later, never process(). Pointers to the exported regions are read
// by the host through the exported getters (inputPtr, outputPtr, metersPtr);
// the host re-creates its Float32Array views whenever memory.buffer changes
// (memory.grow detaches the old buffer).
//
// Audio inside the graph is "stereo frames": BLOCK v128 values per buffer,
// lane 0 = left, lane 1 = right, lanes 2-3 = zero. One f32x4 operation thus
// runs a filter on both channels at once.
//
// Host-visible regions (all f32, written/read between process() calls only):
//   input   2 x BLOCK f32, planar L then R; host writes, engine reads (live input)
//   output  2 x BLOCK f32, planar L then R; engine writes, host reads
//   meters  (MAX_TRACKS + 1) x 2 f32: [peak, rms] linear amplitude per track
//           slot, master at slot MAX_TRACKS; engine writes once per block
//   staged  offline only (stageAlloc/processStaged): 4 x frames f32, input L,
//           input R, output L, output R; copied through input/output per block

/** Frames per block (the Web Audio render quantum). */
export const BLOCK: i32 = 128;
/** Track slots 0..MAX_TRACKS-1; the master bus is slot MAX_TRACKS. */
export const MAX_TRACKS: i32 = 64;
export const MASTER: i32 = MAX_TRACKS;
export const TRACK_SLOTS: i32 = MAX_TRACKS + 1;
/** Plugins per track chain. */
export const MAX_PLUGINS: i32 = 16;
/** Params per plugin (catalog index order). */
export const MAX_PARAMS: i32 = 16;
/** Sends per track. */
export const MAX_SENDS: i32 = 8;
/** Synth voices per synth plugin. */
export const MAX_VOICES: i32 = 16;
/** Queued MIDI events per track per block. */
export const MAX_EVENTS: i32 = 32;

// Track record (TRACK_STRIDE bytes per slot).
export const T_ACTIVE: i32 = 0; // i32 0/1
export const T_SOURCE: i32 = 4; // i32: 0 none, 1 file, 2 input, 3 bus
export const T_MUTE: i32 = 8; // i32
export const T_SOLO: i32 = 12; // i32
export const T_GAIN_DB: i32 = 16; // f32
export const T_PAN: i32 = 20; // f32 -1..1 (balance)
export const T_NPLUG: i32 = 24; // i32 chain length
export const T_SAMPLE_PTR: i32 = 28; // usize: planar f32 sample data (heap)
export const T_SAMPLE_FRAMES: i32 = 32; // i32
export const T_SAMPLE_CH: i32 = 36; // i32 1 or 2
export const T_SAMPLE_POS: i32 = 40; // i32 loop read position
export const T_RESERVED: i32 = 44; // i32, unused
export const T_PATTERN: i32 = 48; // 16 x i32 MIDI note or -1
export const T_RAMP: i32 = 112; // fader ramp: v128 cur, v128 step, i32 remaining (48 bytes)
export const T_NSENDS: i32 = 160; // i32
export const T_SENDS: i32 = 164; // MAX_SENDS x SEND_STRIDE
export const SEND_STRIDE: i32 = 20; // i32 target, f32 target gain, f32 cur, f32 step, i32 remaining
export const T_BUF: i32 = 328; // usize: BLOCK stereo frames, the track's working buffer
export const T_BUS: i32 = 332; // usize: BLOCK stereo frames, bus accumulator
export const T_NEVENTS: i32 = 336; // i32 queued MIDI events
export const T_EVENTS: i32 = 340; // MAX_EVENTS x (i32 note | 0x100 on-flag, f32 velocity)
export const T_DONE: i32 = 600; // i32 processed this block (bus ordering)
export const T_PLAYING_NOTE: i32 = 604; // i32 pattern note sounding, -1 none
export const T_MS: i32 = 608; // f32 smoothed mean square for the RMS meter
export const T_LIN_DB: i32 = 612; // f32 the gain_db that T_LIN was computed from (NaN = none)
export const T_LIN: i32 = 616; // f32 10^(T_LIN_DB/20), cached so blocks skip pow()
export const TRACK_STRIDE: i32 = 624;

// Plugin record (PLUGIN_STRIDE bytes; slot s of track t at plugins + (t*MAX_PLUGINS+s)*PLUGIN_STRIDE).
export const P_TYPE: i32 = 0; // i32 plugin code (see PLUGIN_* below), 0 = empty
export const P_BYPASS: i32 = 4; // i32
export const P_WET: i32 = 8; // f32 bypass crossfade, 1 = processed, 0 = dry
export const P_SLAB: i32 = 12; // usize: large buffer (delay lines), 0 = none
export const P_FRESH: i32 = 16; // i32 1 = params not yet applied: snap, no smoothing
export const P_REACHED: i32 = 20; // i32 1 = the graph has reached it (run, or passed by bypassed) since it was inserted
export const P_TARGET: i32 = 32; // MAX_PARAMS x f32, written by setParam
export const P_CUR: i32 = 96; // MAX_PARAMS x f32, smoothed toward target once per block
export const P_STATE: i32 = 160; // plugin-specific state, 16-byte aligned
export const PLUGIN_STRIDE: i32 = 4096;

// Plugin codes. WASM CONTRACT: mirrored by PLUGIN_CODES in wasm/host/codes.ts.
export const PLUGIN_NONE: i32 = 0;
export const PLUGIN_GAIN: i32 = 1;
export const PLUGIN_FILTER: i32 = 2;
export const PLUGIN_EQ: i32 = 3;
export const PLUGIN_COMPRESSOR: i32 = 4;
export const PLUGIN_DELAY: i32 = 5;
export const PLUGIN_REVERB: i32 = 6;
export const PLUGIN_DRIVE: i32 = 7;
export const PLUGIN_CHORUS: i32 = 8;
export const PLUGIN_SYNTH: i32 = 9;

// Source kinds. WASM CONTRACT: mirrored by SOURCE_CODES in wasm/host/codes.ts.
export const SOURCE_NONE: i32 = 0;
export const SOURCE_FILE: i32 = 1;
export const SOURCE_INPUT: i32 = 2;
export const SOURCE_BUS: i32 = 3;
