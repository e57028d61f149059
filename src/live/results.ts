// Result data of the live-view commands (txn, session, the per-client four-letter views).

/** One operation of a committed transaction and what it did. */
export interface TxnOutcome {
  readonly line: number;
  readonly text: string;
  readonly type: 'create' | 'delete' | 'setData' | 'check';
  readonly path: string;
  /** The path created (with its sequence number, if any). */
  readonly created?: string;
  /** The data version after a set. */
  readonly version?: number;
}

export interface SessionInfo {
  readonly sessionId: string;
  readonly state: string;
  readonly server: string | null;
  readonly readOnly: boolean;
  readonly requestedTimeout: number;
  readonly negotiatedTimeout: number;
  readonly lastZxid: string;
  readonly identities: readonly { scheme: string; user: string }[];
  /** Where the identities came from: the server (whoami, 3.7+) or the credentials this session added. */
  readonly identitiesFrom: 'server' | 'client';
  readonly watches: Readonly<Record<'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive', number>>;
}

/** What one client address (IP, all its ports) holds on a server. */
export interface ClientGroup {
  readonly client: string;
  readonly connections: number;
  readonly sessions: readonly string[];
  readonly watches: number;
  /** cons: requests queued, received and sent, summed over the connections. */
  readonly queued?: number;
  readonly received?: number;
  readonly sent?: number;
  /** wchc/wchp: a few of the watched paths. */
  readonly paths?: readonly string[];
}
