/**
 * The shared store of a relay cluster (SPEC §8, `OUTBOARD_REDIS_URL`). Per
 * session, with the id as a hash tag so the keys stay in one Redis Cluster slot:
 *
 * - `ob:{id}:log`  a Stream, one entry per acked op, entry id `<seq>-0`, fields `u` (user) and `op` (stamped op JSON);
 * - `ob:{id}:meta` a hash: `seq` (head), `doc` (the snapshot, JSON), `snap_seq` (the seq it is at),
 *                  `by` (who created it) and `created` (ms);
 * - `ob:{id}:ids`  a sorted set, op id -> seq, so a retried op is answered with its first seq, never applied twice;
 * - `ob:{id}:ch`   the pub/sub channel: appended ops (published by the append script itself, so in seq order),
 *                  in-gesture values and presence.
 *
 * The seq is assigned inside one Lua script together with the XADD, and only
 * when the caller's view of the head is current (compare-and-set), so two
 * nodes never hand out one seq and every op is validated against the document
 * at exactly the seq before it. The stream is trimmed (`XTRIM MINID`) behind
 * each snapshot, keeping `keepBehind` entries for resumes, so memory stays
 * bounded whatever the traffic.
 *
 * Two connections: commands (no offline queue: with Redis away a call fails at
 * once and the op is refused, rather than waiting in a queue nobody acks) and
 * the subscriber (resubscribes by itself after a reconnect). With a second
 * Redis for the ephemeral channel traffic (`channelsUrl`), two more: values
 * published there never wait for the main Redis' AOF fsync, which at
 * `appendfsync always` holds back everything it sends in a turn with writes.
 * Logged ops are still published by the append script, after their fsync.
 */
import { Redis } from 'ioredis';
import { StoreDown, type LogEntry, type StoreHandle } from './types.ts';

/** What the append script answered. */
export type AppendResult =
  | { readonly status: 'ok'; readonly head: number; /** per op: its new seq, or minus the seq it already had */ readonly seqs: readonly number[] }
  | { readonly status: 'conflict'; readonly head: number }
  | { readonly status: 'gone' };

/** A session as loaded: the snapshot, the head, and the log entries after `from`. */
export interface LoadedSession {
  readonly seq: number;
  readonly snapshotSeq: number;
  readonly document: string;
  readonly entries: readonly LogEntry[];
}

/** The key names of one session. */
export function sessionKeys(id: string) {
  return { meta: `ob:{${id}}:meta`, log: `ob:{${id}}:log`, ids: `ob:{${id}}:ids`, channel: `ob:{${id}}:ch` } as const;
}

/**
 * Every session's id, scored by when it was created: the operator's listing
 * (server/cluster/admin.ts) reads it instead of a SCAN over the keyspace.
 * The create script writes it beside the session's own keys, so it names
 * keys of two slots: one Redis server, not Redis Cluster mode.
 */
export const SESSION_INDEX = '{ob}:sessions';

const CHANNEL_HEAD = Buffer.from('ob:{');
const CHANNEL_TAIL = Buffer.from('}:ch');

/** The session id of a channel name `ob:{id}:ch`; undefined for any other channel. */
function sessionOfChannel(channel: Buffer): string | undefined {
  const end = channel.length - CHANNEL_TAIL.length;
  if (end <= CHANNEL_HEAD.length || !startsWith(channel, CHANNEL_HEAD) || channel.compare(CHANNEL_TAIL, 0, CHANNEL_TAIL.length, end) !== 0) return undefined;
  return channel.toString('utf8', CHANNEL_HEAD.length, end);
}

/** Whether `bytes` begins with `prefix`, compared in place (no string is made). */
function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

// KEYS: meta log ids; ARGV: expected head, channel, publish prefix, then (id, user, op) per op.
// User ids match ID_PATTERN and ops are JSON.stringify output, so the published array is spliced, not re-encoded.
const APPEND = `
local head = redis.call('HGET', KEYS[1], 'seq')
if not head then return {'gone'} end
head = tonumber(head)
if head ~= tonumber(ARGV[1]) then return {'conflict', head} end
local out, pub = {}, {}
for i = 4, #ARGV, 3 do
  local seen = redis.call('ZSCORE', KEYS[3], ARGV[i])
  if seen then
    out[#out + 1] = -tonumber(seen)
  else
    head = head + 1
    redis.call('XADD', KEYS[2], head .. '-0', 'u', ARGV[i + 1], 'op', ARGV[i + 2])
    redis.call('ZADD', KEYS[3], head, ARGV[i])
    out[#out + 1] = head
    pub[#pub + 1] = '[' .. head .. ',"' .. ARGV[i + 1] .. '",' .. ARGV[i + 2] .. ']'
  end
end
if #pub > 0 then
  redis.call('HSET', KEYS[1], 'seq', head)
  redis.call('PUBLISH', ARGV[2], ARGV[3] .. '[' .. table.concat(pub, ',') .. ']')
end
return {'ok', head, out}
`;

// KEYS: meta log; ARGV: keepBehind. One script, so a snapshot-and-trim cannot fall between reading one and the other.
const LOAD = `
local m = redis.call('HMGET', KEYS[1], 'seq', 'snap_seq', 'doc')
if not m[1] then return false end
local from = math.min(tonumber(m[2]), tonumber(m[1]) - tonumber(ARGV[1]))
if from < 0 then from = 0 end
return {m[1], m[2], m[3], redis.call('XRANGE', KEYS[2], (from + 1) .. '-0', '+')}
`;

// KEYS: meta, session index; ARGV: document, id, creator ('' unknown), now ms. Creates an empty session unless it exists.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'seq', 0, 'snap_seq', 0, 'doc', ARGV[1], 'by', ARGV[3], 'created', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
return 1
`;

// KEYS: meta log ids; ARGV: seq, document, keepBehind, dedupWindow. Older snapshots never replace newer ones.
const SNAPSHOT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'snap_seq') or '-1')
local seq = tonumber(ARGV[1])
if current < 0 or seq <= current then return current end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'snap_seq', seq)
local keep = seq - tonumber(ARGV[3]) + 1
if keep > 1 then redis.call('XTRIM', KEYS[2], 'MINID', keep .. '-0') end
local dedup = seq - tonumber(ARGV[4])
if dedup > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', dedup) end
return seq
`;

/** One op to append: the hub's pending op as it is, no copy made per op. */
export interface AppendOp {
  readonly op: { readonly id: string };
  readonly user: string;
  readonly text: string;
}

interface Scripts {
  /** KEYS meta, log, ids, then the ARGV of APPEND. */
  obAppend(...keysAndArgs: (string | number)[]): Promise<[string, number?, number[]?]>;
  obLoad(meta: string, log: string, keepBehind: number): Promise<[string, string, string, RawEntry[]] | null>;
  obCreate(meta: string, index: string, document: string, id: string, creator: string, now: number): Promise<number>;
  obSnapshot(meta: string, log: string, ids: string, seq: number, document: string, keepBehind: number, dedupWindow: number): Promise<number>;
}

/** A stream entry as Redis answers XRANGE: its id and its flat field list. */
export type RawEntry = [id: string, fields: string[]];

/** A stream entry of a session's log as a {@link LogEntry}. */
export function logEntry([id, fields]: RawEntry): LogEntry {
  let user = '';
  let op = '';
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === 'u') user = fields[i + 1] ?? '';
    else if (fields[i] === 'op') op = fields[i + 1] ?? '';
  }
  return { seq: Number.parseInt(id, 10), op, user };
}

/** `CLIENT REPLY SKIP` in RESP: Redis sends no reply to the command after it (nor to this one). */
const SKIP_REPLY = '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n';

/** `PUBLISH channel message` in RESP, behind {@link SKIP_REPLY}: one string, one socket write. */
function unansweredPublish(channel: string, message: string): string {
  return `${SKIP_REPLY}*3\r\n$7\r\nPUBLISH\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n$${Buffer.byteLength(message)}\r\n${message}\r\n`;
}

/** A Redis URL fit for a message: its password replaced. */
function withoutPassword(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed?.password) return url;
  parsed.password = '***';
  return parsed.href;
}

/** Redis under the relay cluster. */
export class RedisStore implements StoreHandle {
  /** Commands (and rate-limiter-flexible's limiters). */
  readonly client: Redis;
  private readonly subscriber: Redis;
  /** Where ephemeral messages are published, and their subscriber (the main ones without a channels Redis). */
  private readonly channelPublisher: Redis;
  private readonly channelSubscriber: Redis | undefined;
  private readonly connections: readonly Redis[];
  /** The URL each of {@link connections} goes to. */
  private readonly urls: readonly string[];
  private readonly scripts: Scripts;
  private lastError = '';
  /** The last error's code (`ECONNREFUSED`, `ENOTFOUND`…): unlike its message, it names no address. */
  private lastErrorCode = '';
  private closing = false;
  /** The channel publisher, once Redis said it may skip replies (`CLIENT REPLY ON` answered OK on this connection). */
  private unanswered: Redis | undefined;
  /** PUBLISHes written to the commands connection without a reply (the node's metrics count them: ioredis never sees them). */
  unansweredCommands = 0;

  constructor(url: string, channelsUrl?: string) {
    const options = {
      lazyConnect: true,
      // Keep trying forever, at most once a second: the relay resumes by itself when Redis is back.
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
      connectTimeout: 2000,
    };
    const commands = { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 5000 };
    const subscriber = { ...options, maxRetriesPerRequest: null };
    this.client = new Redis(url, commands);
    this.subscriber = new Redis(url, subscriber);
    this.channelPublisher = channelsUrl ? new Redis(channelsUrl, commands) : this.client;
    this.channelSubscriber = channelsUrl ? new Redis(channelsUrl, subscriber) : undefined;
    this.connections = channelsUrl ? [this.client, this.subscriber, this.channelPublisher, this.channelSubscriber!] : [this.client, this.subscriber];
    this.urls = channelsUrl ? [url, url, channelsUrl, channelsUrl] : [url, url];
    for (const conn of this.connections) {
      conn.on('error', (error: NodeJS.ErrnoException) => {
        this.lastError = error.message;
        this.lastErrorCode = typeof error.code === 'string' ? error.code : '';
      });
    }
    // Asked on every (re)connection: an ACL or a proxy may refuse CLIENT, and then every publish goes through ioredis.
    const publisher = this.channelPublisher;
    publisher.on('ready', () => void publisher.client('REPLY', 'ON').then(
      () => void (this.unanswered = publisher),
      () => void (this.unanswered = undefined),
    ));
    publisher.on('close', () => void (this.unanswered = undefined));
    this.client.defineCommand('obAppend', { numberOfKeys: 3, lua: APPEND });
    this.client.defineCommand('obLoad', { numberOfKeys: 2, lua: LOAD });
    this.client.defineCommand('obCreate', { numberOfKeys: 2, lua: CREATE });
    this.client.defineCommand('obSnapshot', { numberOfKeys: 3, lua: SNAPSHOT });
    this.scripts = this.client as unknown as Scripts;
  }

  /**
   * Connects every connection; rejects naming the Redis when one cannot be reached at start. Then nothing
   * runs yet that could resume, so the connections stop retrying: `outboard serve` exits with the reason.
   */
  async connect(): Promise<void> {
    try {
      await Promise.all(this.connections.map((c, i) => c.connect().catch((error: Error) => {
        throw new Error(`cannot reach Redis at ${withoutPassword(this.urls[i]!)}: ${this.lastError || error.message}`, { cause: error });
      })));
    } catch (error) {
      this.closing = true;
      for (const conn of this.connections) conn.disconnect();
      throw error;
    }
  }

  /** Whether commands can run now. */
  get up(): boolean {
    return this.connections.every((c) => c.status === 'ready');
  }

  ping(): void {
    if (this.up) return;
    const names = ['commands', 'subscriber', 'channels publisher', 'channels subscriber'];
    const down = this.connections.map((c, i) => (c.status === 'ready' ? undefined : i)).filter((i) => i !== undefined);
    const said = (at: (i: number) => string) => down.map((i) => `${names[i]} ${this.connections[i]!.status}${at(i)}`).join(', ');
    throw new StoreDown(
      `redis ${said(() => '')}${this.lastErrorCode ? ` (${this.lastErrorCode})` : ''}`,
      `redis ${said((i) => ` at ${withoutPassword(this.urls[i]!)}`)}${this.lastError ? `: ${this.lastError}` : ''}`,
    );
  }

  /**
   * Calls `listener(false)` when a connection is lost and `listener(true)` when every one is ready again:
   * once each way per outage, not once per failed reconnect (each of those closes a connection again).
   */
  onState(listener: (up: boolean) => void): void {
    // Up from the start: the connections coming ready one by one at start are no news.
    let wasUp = true;
    for (const conn of this.connections) {
      conn.on('ready', () => {
        if (wasUp || !this.up) return;
        wasUp = true;
        listener(true);
      });
      conn.on('close', () => {
        if (!wasUp || this.closing) return;
        wasUp = false;
        listener(false);
      });
    }
  }

  /** A session with its snapshot and the log from `keepBehind` ops before the head (or the snapshot, if older). */
  async load(id: string, keepBehind: number): Promise<LoadedSession | undefined> {
    const k = sessionKeys(id);
    const raw = await this.scripts.obLoad(k.meta, k.log, keepBehind);
    if (!raw) return undefined;
    return { seq: Number(raw[0]), snapshotSeq: Number(raw[1]), document: raw[2], entries: raw[3].map(logEntry) };
  }

  /** Creates an empty session with `document` at seq 0, listed in the index with who created it; false when it already existed. */
  async create(id: string, document: string, creator = ''): Promise<boolean> {
    return (await this.scripts.obCreate(sessionKeys(id).meta, SESSION_INDEX, document, id, creator, Date.now())) === 1;
  }

  /** Appends ops (each its id, its sender, its stamped JSON `text`) if the head is still `expected`; publishes them on the session channel with `publishPrefix`. */
  async append(id: string, expected: number, publishPrefix: string, ops: readonly AppendOp[]): Promise<AppendResult> {
    const k = sessionKeys(id);
    const args: (string | number)[] = [k.meta, k.log, k.ids, expected, k.channel, publishPrefix];
    for (const o of ops) args.push(o.op.id, o.user, o.text);
    const [status, head, seqs] = await this.scripts.obAppend(...args);
    if (status === 'gone') return { status };
    if (status === 'conflict') return { status, head: Number(head) };
    return { status: 'ok', head: Number(head), seqs: (seqs ?? []).map(Number) };
  }

  /** Log entries with `after < seq` (at most `count`), in order. */
  async range(id: string, after: number, count = 10_000): Promise<LogEntry[]> {
    const raw = (await this.client.xrange(sessionKeys(id).log, `${after + 1}-0`, '+', 'COUNT', count)) as RawEntry[];
    return raw.map(logEntry);
  }

  /** Stores a snapshot at `seq` and trims the log and the dedup ids behind it; answers the stored snapshot's seq. */
  async snapshot(id: string, seq: number, document: string, keepBehind: number, dedupWindow: number): Promise<number> {
    const k = sessionKeys(id);
    return Number(await this.scripts.obSnapshot(k.meta, k.log, k.ids, seq, document, keepBehind, dedupWindow));
  }

  /**
   * Publishes an ephemeral message on the session channel (of the channels
   * Redis, when there is one), and forgets it: dropped while that connection
   * is down (ephemeral by design: the final value of a gesture is an op).
   * Written to the socket as RESP behind `CLIENT REPLY SKIP` when that
   * Redis allows it, so Redis sends no reply: the call makes no command
   * object, promise or timer, and Redis writes the subscribers' message
   * first instead of after a reply to this node (measured: the publish took
   * 0.3 ms at 60 Hz through ioredis, half of it before the socket write).
   */
  publish(id: string, message: string): void {
    const conn = this.channelPublisher;
    if (conn.status !== 'ready') return;
    if (this.unanswered === conn && conn.stream.writable) {
      conn.stream.write(unansweredPublish(sessionKeys(id).channel, message));
      if (conn === this.client) this.unansweredCommands++;
    } else {
      conn.publish(sessionKeys(id).channel, message).catch(() => undefined);
    }
  }

  private get subscribers(): Redis[] {
    return this.channelSubscriber ? [this.subscriber, this.channelSubscriber] : [this.subscriber];
  }

  /**
   * Receives every message of subscribed session channels, as the bytes
   * Redis sent, so a node can drop what it need not read (its own messages,
   * echoed back to it) without decoding it: ioredis makes no strings when
   * nobody listens to `message`.
   */
  onMessage(handler: (sessionId: string, message: Buffer) => void): void {
    for (const sub of this.subscribers) sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const id = sessionOfChannel(channel);
      if (id !== undefined) handler(id, message);
    });
  }

  /** Starts receiving a session's channel. */
  async subscribe(id: string): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.subscribe(sessionKeys(id).channel)));
  }

  /** Stops receiving a session's channel. */
  async unsubscribe(id: string): Promise<void> {
    await Promise.all(this.subscribers.map((s) => s.unsubscribe(sessionKeys(id).channel)));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
