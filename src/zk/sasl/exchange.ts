import type { Connection } from '../connection.js';
import { errorFor } from '../errors.js';
import type { HostPort } from '../host-provider.js';
import * as R from '../jute/records.js';
import { decodeRecord, encodeRecord } from '../jute/schema.js';
import { Op } from '../protocol.js';

/**
 * SASL failed for good: wrong credentials, no ticket, a server that does not speak the mechanism.
 * The session treats it like AuthFailed (terminal, no reconnect). The message names the mechanism
 * and never holds a secret.
 */
export class SaslError extends Error {
  override name = 'SaslError';
}

/** One SASL conversation on one connection (a new one for every reconnect). */
export interface SaslExchange {
  /** The first token (empty when the mechanism has no initial response, as DIGEST-MD5). */
  initial(): Promise<Buffer>;
  /** Evaluates the server's token (null when it sent none): the next token, or null when done. */
  step(serverToken: Buffer | null): Promise<Buffer | null>;
}

export interface SaslMechanism {
  readonly name: 'DIGEST-MD5' | 'GSSAPI';
  /** Who we authenticate as, for messages ("'bob'"); never a secret. */
  readonly who: string;
  begin(host: HostPort): Promise<SaslExchange>;
}

/** What Session calls after each handshake, before auth replay, SetWatches and queued requests. */
export interface SaslAuthenticator {
  authenticate(conn: Connection, host: HostPort): Promise<void>;
}

/** Sends one token (opcode sasl, a normal xid) and resolves with the server's answer token. */
function exchangeToken(conn: Connection, token: Buffer, fail: (why: string) => SaslError): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    conn.send({
      opCode: Op.sasl.code,
      body: (w) => encodeRecord(w, R.GetSASLRequest, { token }),
      onReply: (h, r) => {
        if (h.err !== 0) {
          // AUTHFAILED, or SESSIONCLOSEDREQUIRESASLAUTH when the server enforces SASL; it closes next.
          reject(fail(`the server rejected the credentials (${errorFor(h.err).codeName})`));
          return;
        }
        try {
          resolve(r.remaining > 0 ? decodeRecord(r, R.SetSASLResponse).token : null);
        } catch (e) {
          reject(e);
        }
      },
      onFail: () => reject(new Error('connection lost during SASL authentication')),
    });
  });
}

/** Runs a mechanism's conversation to the end on each new connection. */
export function saslAuthenticator(mech: SaslMechanism): SaslAuthenticator {
  const fail = (why: string): SaslError =>
    new SaslError(`SASL ${mech.name} authentication as ${mech.who} failed: ${why}`);
  return {
    async authenticate(conn, host) {
      let exchange: SaslExchange;
      let token: Buffer | null;
      try {
        exchange = await mech.begin(host);
        token = await exchange.initial();
      } catch (e) {
        throw e instanceof SaslError ? e : fail((e as Error).message);
      }
      while (token !== null) {
        const answer = await exchangeToken(conn, token, fail);
        try {
          token = await exchange.step(answer);
        } catch (e) {
          throw e instanceof SaslError ? e : fail((e as Error).message);
        }
      }
    },
  };
}
