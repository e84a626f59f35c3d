"""How the long-running processes serve, not what they serve: the HTTP bridge, the heap at startup,
the channel layer's connection pool, memory after a wave of sockets. Reasons in docs/runtime.md."""
