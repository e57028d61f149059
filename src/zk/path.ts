import { InvalidArgumentError } from './errors.js';

/** ZooKeeper's PathUtils.validatePath, with its messages; `sequential` validates path + "1" as Java does. */
export function validatePath(path: string | null | undefined, sequential = false): void {
  if (path == null) throw new InvalidArgumentError('Path cannot be null');
  validateRaw(sequential ? path + '1' : path);
}

/**
 * The paths validateRaw accepts, as one regular expression (compiled to native code: a walk checks every path it
 * sends): "/", or "/"-separated names that are not empty, "." or "..", without forbidden UTF-16 code units.
 * Anything it refuses goes through the loop below, which finds the reason (and has the last word).
 */
const VALID = /^\/$|^(?:\/(?!\.\.?(?:\/|$))[^/\x00-\x1f\x7f-\x9f\ud800-\uf8ff\ufff0-\uffff]+)+$/;

/** validatePath as a yes or no (the server's rules, checked where a failure is not a thrown request). */
export function isValidPath(path: string): boolean {
  try {
    validateRaw(path);
    return true;
  } catch {
    return false;
  }
}

function validateRaw(path: string): void {
  if (VALID.test(path)) return;
  if (path.length === 0) throw new InvalidArgumentError('Path length must be > 0');
  if (path[0] !== '/') throw new InvalidArgumentError('Path must start with / character');
  if (path.length === 1) return;
  if (path[path.length - 1] === '/') throw new InvalidArgumentError('Path must not end with / character');
  let reason: string | null = null;
  // Character codes only: this runs for every request path (a walk sends millions).
  const SLASH = 47;
  const DOT = 46;
  let last = SLASH;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) {
      reason = `null character not allowed @${i}`;
      break;
    }
    if (c === SLASH && last === SLASH) {
      reason = `empty node name specified @${i}`;
      break;
    }
    if (c === DOT && last === DOT) {
      if (path.charCodeAt(i - 2) === SLASH && (i + 1 === path.length || path.charCodeAt(i + 1) === SLASH)) {
        reason = `relative paths not allowed @${i}`;
        break;
      }
    } else if (c === DOT) {
      if (path.charCodeAt(i - 1) === SLASH && (i + 1 === path.length || path.charCodeAt(i + 1) === SLASH)) {
        reason = `relative paths not allowed @${i}`;
        break;
      }
    } else if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      reason = `invalid character @${i}`;
      break;
    }
    last = c;
  }
  if (reason) throw new InvalidArgumentError(`Invalid path string "${path}" caused by ${reason}`);
}

/**
 * The last name of a path (or a bare name) ends in 10 digits, as a sequential node's counter does; no slice
 * or regex (export and find ask it per node).
 */
export function endsInSequence(path: string): boolean {
  const start = path.length - 10;
  if (start <= path.lastIndexOf('/')) return false;
  for (let i = path.length - 1; i >= start; i--) {
    const c = path.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Joins a parent and a child name ("/" + "a" → "/a"). */
export const joinPath = (parent: string, child: string): string =>
  parent === '/' ? `/${child}` : `${parent}/${child}`;

/** The parent of a path ("/a/b" → "/a", "/a" → "/"). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Applies and strips a chroot. Stripping is component-aware (Java's plain startsWith turns /apple into le). */
export class Chroot {
  constructor(readonly root: string | null) {}

  toServer(path: string): string {
    if (!this.root) return path;
    return path === '/' ? this.root : this.root + path;
  }

  toClient(serverPath: string): string {
    const root = this.root;
    if (!root) return serverPath;
    if (serverPath === root) return '/';
    if (serverPath.startsWith(root + '/')) return serverPath.slice(root.length);
    return serverPath;
  }
}
