// What the recipe inspectors (locks, election, members) report: data only; src/output/recipe-view.ts
// renders it.

export type RecipeKind = 'lock' | 'election' | 'members';

/** One participant node (a lock contender, an election candidate, a registered instance). */
export interface Participant {
  name: string;
  path: string;
  /** The sequence number the server appended; null for names without one (discovery instances). */
  sequence: number | null;
  /** holder, waiting, reader, writer, lease, leader, candidate, instance. */
  role: string;
  /** 0 for the holder or leader, then the place in the queue; null where order means nothing. */
  position: number | null;
  /** The owning session (0x…), or null for a persistent node. */
  session: string | null;
  created: string;
  ageSeconds: number;
  /** The client's address from `cons`, when a server lets us see it. */
  client: string | null;
  /** The node's data as text (Curator stores the client's IP, a latch its participant id). */
  data: string | null;
  /** Why this participant looks abandoned; null when it looks alive. */
  orphan: string | null;
  /** Discovery: the instance's decoded ServiceInstance fields. */
  instance?: ServiceInstance;
}

/** Curator's ServiceInstance JSON, the fields an operator looks for. */
export interface ServiceInstance {
  service: string | null;
  id: string | null;
  address: string | null;
  port: number | null;
  sslPort: number | null;
  registered: string | null;
  serviceType: string | null;
  enabled: boolean | null;
}

export interface RecipeView {
  recipe: RecipeKind;
  path: string;
  /** The layout recognised (curator-mutex, plain-lock, curator-leader-latch, curator-discovery, …). */
  layout: string;
  /** Names of the holders (lock), the leader (election); empty for members. */
  holders: string[];
  participants: Participant[];
  notes: string[];
}
