/** Two in-memory Duplex streams wired back to back: what one writes, the other reads (Node 20 has no stream.duplexPair). */
import { Duplex } from 'node:stream';

export function duplexPair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        other().push(chunk);
        callback();
      },
      final(callback) {
        other().push(null);
        callback();
      },
      destroy(error, callback) {
        const peer = other();
        if (!peer.destroyed) peer.push(null);
        callback(error);
      },
    });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}
