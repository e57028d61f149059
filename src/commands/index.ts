// THE registry: every command appears here once; help, completion, the man page and parsing derive from it.
import addauth from './addauth.js';
import addwatch from './addwatch.js';
import cd from './cd.js';
import admin from './admin.js';
import close from './close.js';
import cluster from './cluster.js';
import config from './config.js';
import connect from './connect.js';
import cp from './cp.js';
import count from './count.js';
import create from './create.js';
import del from './delete.js';
import deleteall from './deleteall.js';
import election from './election.js';
import edit from './edit.js';
import exists from './exists.js';
import delquota from './delquota.js';
import diff from './diff.js';
import exportCmd from './export.js';
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
import importCmd from './import.js';
import listquota from './listquota.js';
import locks from './locks.js';
import ls from './ls.js';
import ls2 from './ls2.js';
import members from './members.js';
import open from './open.js';
import mv from './mv.js';
import printwatches from './printwatches.js';
import pwd from './pwd.js';
import quit from './quit.js';
import reconfig from './reconfig.js';
import redo from './redo.js';
import removewatches from './removewatches.js';
import set from './set.js';
import setAcl from './set-acl.js';
import session from './session.js';
import setquota from './setquota.js';
import stat from './stat.js';
import sync from './sync.js';
import txn from './txn.js';
import txnlog from './txnlog.js';
import tree from './tree.js';
import version from './version.js';
import watch from './watch.js';
import whoami from './whoami.js';
import type { CommandSpec } from './spec.js';

export const commands: readonly CommandSpec[] = [
  addwatch,
  addauth,
  admin,
  cd,
  close,
  cluster,
  config,
  connect,
  cp,
  count,
  create,
  del,
  deleteall,
  delquota,
  election,
  diff,
  exportCmd,
  edit,
  exists,
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
  importCmd,
  listquota,
  locks,
  ls,
  ls2,
  members,
  open,
  mv,
  printwatches,
  pwd,
  quit,
  reconfig,
  redo,
  removewatches,
  set,
  session,
  setAcl,
  setquota,
  stat,
  sync,
  txn,
  txnlog,
  tree,
  version,
  watch,
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
