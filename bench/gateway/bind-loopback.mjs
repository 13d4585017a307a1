// Preloaded into Portkey's server so it listens on 127.0.0.1 only (its launcher has no host option).
import http from 'node:http';

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    const callback = args.find((a) => typeof a === 'function');
    return callback ? listen.call(this, args[0], '127.0.0.1', callback) : listen.call(this, args[0], '127.0.0.1');
  }
  if (args[0] && typeof args[0] === 'object') {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
