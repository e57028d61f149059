// THE registry: every command appears here once; help, completion, the man page and parsing derive from it.
import addauth from './addauth.js';
import addwatch from './addwatch.js';
import admin from './admin.js';
import close from './close.js';
import config from './config.js';
import connect from './connect.js';
import count from './count.js';
import create from './create.js';
import del from './delete.js';
import deleteall from './deleteall.js';
import delquota from './delquota.js';
import du from './du.js';
import find from './find.js';
import flw from './flw.js';
import get from './get.js';
import getAcl from './get-acl.js';
import getAllChildrenNumber from './getallchildrennumber.js';
import getEphemerals from './getephemerals.js';
import grep from './grep.js';
import help from './help.js';
import history from './history.js';
import listquota from './listquota.js';
import ls from './ls.js';
import ls2 from './ls2.js';
import printwatches from './printwatches.js';
import quit from './quit.js';
import reconfig from './reconfig.js';
import redo from './redo.js';
import removewatches from './removewatches.js';
import set from './set.js';
import setAcl from './set-acl.js';
import setquota from './setquota.js';
import stat from './stat.js';
import sync from './sync.js';
import tree from './tree.js';
import version from './version.js';
import whoami from './whoami.js';
import type { CommandSpec } from './spec.js';

export const commands: readonly CommandSpec[] = [
  addwatch,
  addauth,
  admin,
  close,
  config,
  connect,
  count,
  create,
  del,
  deleteall,
  delquota,
  du,
  find,
  flw,
  get,
  getAcl,
  getAllChildrenNumber,
  getEphemerals,
  grep,
  help,
  history,
  listquota,
  ls,
  ls2,
  printwatches,
  quit,
  reconfig,
  redo,
  removewatches,
  set,
  setAcl,
  setquota,
  stat,
  sync,
  tree,
  version,
  whoami,
];

const byName = new Map<string, CommandSpec>();
for (const c of commands) {
  for (const n of [c.name, ...(c.aliases ?? [])]) {
    if (byName.has(n)) throw new Error(`command name registered twice: ${n}`);
    byName.set(n, c);
  }
}

/** Finds a command by name or alias (case-sensitive, as zkCli). */
export const findCommand = (name: string): CommandSpec | undefined => byName.get(name);

/** Every name and alias, for completion. */
export const commandNames = (): string[] => [...byName.keys()].sort();
