import { armWatch, type ArmedWatch, type Change } from '../live/arm-watch.js';
import { parseDuration } from '../live/duration.js';
import {
  changeJson,
  changeText,
  noticeJson,
  noticeText,
  WATCH_JSON,
  zxidHex,
  type Notice,
} from '../output/watch-lines.js';
import type { ZooKeeperClient } from '../zk/client.js';
import { formatHostPort } from '../zk/host-provider.js';
import { KeeperState } from '../zk/protocol.js';
import type { WatchedEvent } from '../zk/watches.js';
import { arg, longOpt, need, noMore, opt } from './common.js';
import { intOption, UsageError, type CommandContext, type CommandSpec } from './spec.js';

type StopReason = 'count' | 'timeout' | 'interrupt';

const serverOf = (c: ZooKeeperClient): string => (c.currentHost ? formatHostPort(c.currentHost) : c.connectString);

export default {
  name: 'watch',
  summary: 'stream the changes to a node (or a subtree with -R) as they happen',
  usage: '[-R] [--data] [--count n] [--timeout duration] [--one-shot] path',
  options: {
    recursive: opt('R', 'the node and every node below it'),
    data: longOpt('data', 'show the data of created and changed nodes (escaped, cut at 60 characters)'),
    count: longOpt('count', 'stop after this many changes', { valueName: 'n' }),
    timeout: longOpt('timeout', 'stop after this long: 500ms, 30s, 5m, 1h (a bare number is seconds)', {
      valueName: 'duration',
    }),
    oneShot: longOpt('one-shot', 'use one-shot watches set again after each event, even where persistent ones exist'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Prints one line per change until Ctrl-C, --count or --timeout (each exits 0): the time (UTC), what happened ' +
    '(created, deleted, changed for data, children for the list of children; -R reports the nodes below ' +
    'instead of children) and the path; with --data the data read just after the event. The node need not ' +
    'exist yet. ZooKeeper 3.6+ keeps a persistent (recursive with -R) watch; older servers get one-shot ' +
    'watches set again after each event, and a change made in between is reported when the node is read ' +
    'again. The first line on stderr says which. A lost connection is a line in the stream, and so is the ' +
    'reconnect (the same session keeps its watch; changes made while disconnected are not replayed by the ' +
    'server for persistent watches). When the session expires, watch opens a new session, sets the watch ' +
    'again and says that changes may have been missed. --format json writes JSON Lines: one object per ' +
    'change or notice, the first being {"event":"watching",…} and the last {"event":"stopped",…}.',
  examples: ['watch /app/config', 'watch -R --data /services', 'watch -R --count 10 --timeout 1m /locks'],
  json: WATCH_JSON,
  table: 'the text lines (a stream has no table form)',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const count = p.options['count'] === undefined ? Infinity : intOption(p.options['count'], '--count', 0);
    if (count < 1) throw new UsageError('--count must be at least 1');
    const timeout = p.options['timeout'];
    const timeoutMs = typeof timeout === 'string' ? parseDuration(timeout, '--timeout') : undefined;
    const o = { recursive: !!p.options['recursive'], oneShot: !!p.options['oneShot'] };
    await new LiveWatch(ctx, path, o, count, !!p.options['data']).run(timeoutMs);
    return { type: 'streamed' };
  },
} as const satisfies CommandSpec;

/** One run of `watch`: the watch, the session it is on, and the lines it prints. */
class LiveWatch {
  private events = 0;
  private finished: ((r: StopReason) => void) | null = null;
  private done = false;
  private chain: Promise<void> = Promise.resolve();
  private client: ZooKeeperClient | null = null;
  private armed: ArmedWatch | null = null;
  private readonly json: boolean;

  constructor(
    private readonly ctx: CommandContext,
    private readonly path: string,
    private readonly o: { recursive: boolean; oneShot: boolean },
    private readonly count: number,
    private readonly withData: boolean,
  ) {
    this.json = ctx.shell.format === 'json';
  }

  private notice(n: Notice): void {
    const now = new Date();
    if (this.json) return this.ctx.out(noticeJson(now, n));
    const { text, stderr } = noticeText(now, n);
    if (stderr) this.ctx.note(text.trimEnd());
    else this.ctx.out(text);
  }

  /** Changes are printed in the order they came, each after its data was read (with --data). */
  private onChange = (c: Change): void => {
    if (this.done) return;
    const zk = this.client;
    this.chain = this.chain.then(async () => {
      if (this.done) return;
      let data: Buffer | null | undefined;
      if (this.withData && zk && (c.kind === 'created' || c.kind === 'changed'))
        data = await zk.getData(c.path).then(
          (r) => r.data,
          () => undefined,
        );
      if (this.done) return;
      const line = { ...c, data, withData: this.withData };
      this.ctx.out(this.json ? changeJson(new Date(), line) : changeText(new Date(), line));
      if (++this.events >= this.count) this.finish('count');
    });
  };

  private finish(r: StopReason): void {
    this.done = true;
    this.finished?.(r);
  }

  private onSession = (e: WatchedEvent): void => {
    const c = this.client;
    if (this.done || !c) return;
    if (e.state === KeeperState.Disconnected) this.notice({ event: 'disconnected', server: serverOf(c) });
    else if (e.state === KeeperState.SyncConnected || e.state === KeeperState.ConnectedReadOnly) {
      // The first SyncConnected of a session is not a reconnect.
      if (this.sawDisconnect) this.notice({ event: 'reconnected', server: serverOf(c), session: zxidHex(c.sessionId) });
    } else if (e.state === KeeperState.Expired) {
      this.notice({ event: 'expired', session: zxidHex(c.sessionId) });
      void this.renew();
    }
    if (e.state === KeeperState.Disconnected) this.sawDisconnect = true;
  };
  private sawDisconnect = false;

  private async attach(): Promise<void> {
    this.client?.offSessionEvent(this.onSession);
    const c = await this.ctx.shell.ready();
    this.client = c;
    this.sawDisconnect = false;
    c.onSessionEvent(this.onSession);
    this.armed = await armWatch(c, this.path, this.o, this.onChange);
  }

  /** After an expiry: a new session and the watch again, retrying until it works or the watch ends. */
  private async renew(): Promise<void> {
    while (!this.done) {
      try {
        await this.ctx.shell.connect();
        await this.attach();
        this.notice({ event: 'resumed', server: serverOf(this.client!), session: zxidHex(this.client!.sessionId) });
        return;
      } catch (e) {
        if (this.done) return;
        this.ctx.note(`watch: could not open a new session (${(e as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async run(timeoutMs: number | undefined): Promise<void> {
    const stopped = new Promise<StopReason>((resolve) => (this.finished = resolve));
    const onAbort = (): void => this.finish('interrupt');
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.finish('timeout'), timeoutMs);
    try {
      await this.attach();
      this.notice({ event: 'watching', path: this.path, mode: this.armed!.mode });
      const reason = await stopped;
      await this.chain;
      this.notice({ event: 'stopped', reason, events: this.events });
    } finally {
      this.done = true;
      clearTimeout(timer);
      this.ctx.signal.removeEventListener('abort', onAbort);
      this.client?.offSessionEvent(this.onSession);
      await this.armed?.stop().catch(() => undefined);
    }
  }
}
