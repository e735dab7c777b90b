// Preloaded (node --require) into the Prism child process of the conformance test.
//
// 1. Names under `.localhost` resolve to 127.0.0.1, as RFC 6761 §6.3 asks (curl and browsers do
//    it; glibc here does not). Prism's `format: url` check (ajv-formats) refuses loopback
//    addresses and names without a top-level domain, so Prism reaches the mock as
//    `snyk-mock.localhost`: the `location` the mock sends names that host, and Prism checks it
//    like any other URL.
// 2. Prism exits when the test process that started it is gone, however it ended.
'use strict';
const dns = require('node:dns');

const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost')) {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    const address = { address: '127.0.0.1', family: 4 };
    return process.nextTick(() => (opts.all ? callback(null, [address]) : callback(null, address.address, address.family)));
  }
  return original.call(this, hostname, options, callback);
};

const parent = Number(process.env.PRISM_PARENT_PID);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}
