/**
 * The sender's HTTP: one POST per attempt over node:http / node:https with keep-alive sockets.
 *
 * Why not `fetch`: for small POSTs to a fast receiver, Node's fetch costs about three times the CPU
 * per request of node:http (30,000 signed requests, 24 in flight: ~10 s of CPU against ~3.2 s,
 * bench/webhooks.ts prints both loops), and the sender shares its thread with every save and
 * query of the core. And `lookup` lets the private-address check run on the address the socket
 * actually connects to: a name that resolves to a public address when the batch is checked and to
 * a private one a moment later (DNS rebinding) is refused at connect, which fetch's own lookup
 * could not be made to do.
 *
 * Redirects are never followed (node:http does not; a 3xx is an answer). A request has one timer for
 * its whole time; at most `excerptBytes` of the answer are read (a longer answer's socket is dropped).
 */
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { dnsResolve, isLoopbackName, isPrivateAddress, privateAddressRefusal, type Resolve } from './target-safety';

export interface WebhookAnswer {
  status: number;
  /** The first `excerptBytes` of the body, as text. */
  excerpt: string;
}

export interface PostOptions {
  timeoutMs: number;
  excerptBytes: number;
  /** Whether the host may resolve to a private address (the `webhooks-allow-private` preference). */
  allowPrivate: boolean;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A socket's lookup through `resolve`; with `publicOnly`, a name that resolves to a private address is refused (the connect fails with why). */
const lookupThrough =
  (resolve: Resolve, publicOnly: boolean) =>
  (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const addresses = found.map((address) => ({ address, family: isIP(address) }));
        const inside = publicOnly && addresses.find((entry) => isPrivateAddress(entry.address));
        if (inside) return callback(Object.assign(new Error(privateAddressRefusal(hostname, inside.address)), { code: 'EPRIVATEADDRESS' }), []);
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address.`), { code: 'ENOTFOUND' }), []);
        if ((options as LookupAllOptions).all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };

export class WebhookTransport {
  readonly #lookup: { publicOnly: ReturnType<typeof lookupThrough>; any: ReturnType<typeof lookupThrough> };
  readonly #http = new http.Agent({ keepAlive: true });
  readonly #https = new https.Agent({ keepAlive: true });
  /** Requests out now: `close` ends them. */
  readonly #inFlight = new Set<http.ClientRequest>();

  /** `resolve`: DNS (the system's resolver unless a test answers). */
  constructor(resolve: Resolve = dnsResolve) {
    this.#lookup = { publicOnly: lookupThrough(resolve, true), any: lookupThrough(resolve, false) };
  }

  /** One POST; resolves with the answer (any status), rejects with why there was none. */
  post(url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<WebhookAnswer> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    // (An IP address is not looked up: the batch's check saw it.) A loopback name may go anywhere local.
    const publicOnly = !options.allowPrivate && !isLoopbackName(target.hostname);
    return new Promise<WebhookAnswer>((resolve, reject) => {
      const request = (secure ? https : http).request(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? this.#https : this.#http,
        lookup: publicOnly ? this.#lookup.publicOnly : this.#lookup.any,
      });
      const timer = setTimeout(() => request.destroy(new Error(`No answer within ${options.timeoutMs / 1000} s.`)), options.timeoutMs);
      this.#inFlight.add(request);
      const settle = () => {
        clearTimeout(timer);
        this.#inFlight.delete(request);
      };
      request.on('error', (error) => {
        settle();
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () => {
          settle();
          resolve({ status: response.statusCode ?? 0, excerpt: Buffer.concat(chunks).subarray(0, options.excerptBytes).toString('utf8') });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.byteLength;
          if (size >= options.excerptBytes) {
            // Enough for the log; the rest is not read (a receiver may answer endlessly).
            answer();
            response.destroy();
          }
        });
        response.on('end', answer);
        // The answer was cut off midway: what came is the excerpt (the status is what counts).
        response.on('aborted', answer);
        response.on('error', answer);
      });
      request.end(body);
    });
  }

  /** Ends every request out (each rejects with `reason`) and the kept-alive sockets. */
  close(reason: string): void {
    for (const request of this.#inFlight) request.destroy(new Error(reason));
    this.#http.destroy();
    this.#https.destroy();
  }
}
