import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { freePort } from '../../src/server/zookeeper-server.js';
import { useCluster } from './cluster.js';
import { runCli } from './run-cli.js';
import { loadTranscript, normalize, resultLines } from './transcripts.js';

export interface Change {
  code?: number;
  stdout?: string[] | RegExp;
  stderr?: string[] | RegExp | { first: string };
  /** Lines (e.g. version counters) left out of the comparison on both sides. */
  ignore?: RegExp;
  why: string;
}

const split = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

/**
 * Replays the one-shot cases of a zkCli transcript in order (with the setup lines between them)
 * through bin/zk-shell against a fresh server. zxids and times are normalised; the rest must match
 * zkCli except the listed changes. `exclude` names cases whose input the transcript cannot reproduce.
 */
export function goldenSuite(file: string, changes: Record<number, Change>, exclude: Record<number, string> = {}): void {
  const env = useCluster(1);
  describe(`zkCli golden transcript ${file}`, () => {
    const { cases } = loadTranscript(file);
    let server = '';
    // The transcripts use 127.0.0.1:2199 as an address where nothing listens.
    let nothing = '';
    before(async () => {
      server = env.cluster.connectString;
      nothing = `127.0.0.1:${await freePort()}`;
    });
    it('has one-shot cases', () => assert.ok(cases.length > 10));
    for (const c of cases.filter((x) => !(x.n in exclude))) {
      const change = changes[c.n];
      it(`case ${c.n}: ${c.title}${change ? ` (changed: ${change.why})` : ''}`, async () => {
        if (c.setupBefore.length)
          await runCli(['-server', server, '--keep-going', ...c.setupBefore.flatMap((l) => ['-c', l])]);
        const r = await runCli(
          c.argv.map((a) => a.replace('127.0.0.1:2181', server).replace('127.0.0.1:2199', nothing)),
          { env: c.env },
        );
        const keep = (l: string[]): string[] => (change?.ignore ? l.filter((x) => !change.ignore!.test(x)) : l);
        const expectOut = change?.stdout ?? normalize(resultLines(c.stdout));
        if (expectOut instanceof RegExp) assert.match(r.stdout.replace(/\n$/, ''), expectOut);
        else
          assert.deepEqual(
            keep(normalize(split(r.stdout))),
            keep(expectOut.map((l) => l.replace(/ {2}<<no trailing newline>>$/, ''))),
            'stdout',
          );
        const e = change?.stderr ?? c.stderr;
        if (e instanceof RegExp) assert.match(r.stderr.replace(/\n$/, ''), e);
        else if (Array.isArray(e)) assert.deepEqual(split(r.stderr), e, 'stderr');
        else assert.equal(split(r.stderr)[0], e.first, 'stderr');
        assert.equal(r.code, change?.code ?? c.code, 'exit code');
      });
    }
  });
}
