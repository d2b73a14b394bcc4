#!/usr/bin/env python3
"""Serves a built Gossip Lab (dist/) on 127.0.0.1 only.

Usage: serve.py DIR PORT

Why not `trunk serve`: we serve exactly the release build that the tests check, with nothing
injected (trunk serve adds an auto-reload script). A port already in use is reported clearly with
a way out, instead of a Python traceback.

Every response may be read from any origin (`Access-Control-Allow-Origin: *`), because the embed
runs in sandboxed frames (`sandbox="allow-scripts"`): their origin is opaque (`null`), so the
page's module script and its wasm are cross-origin fetches there, refused without that header.
The app's files are public and carry no cookies, so allowing every origin exposes nothing.
`.wasm` goes out as `application/wasm`, which streaming compilation requires.
"""
import functools
import http.server
import socketserver
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def end_headers(self):
        # Always serve the current build: a stale cached wasm next to new JS glue breaks the page.
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        # A host page that isolates itself (Cross-Origin-Embedder-Policy) may still load these.
        self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
        super().end_headers()

    def log_message(self, fmt, *args):
        if "--quiet" not in sys.argv:
            super().log_message(fmt, *args)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2 or not args[1].isdigit() or not 0 < int(args[1]) < 65536:
        print("usage: serve.py DIR PORT [--quiet]  (PORT from 1 to 65535)", file=sys.stderr)
        return 2
    directory, port = args[0], int(args[1])
    handler = functools.partial(Handler, directory=directory)
    socketserver.TCPServer.allow_reuse_address = True
    try:
        server = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
    except OSError as e:
        print(
            f"error: cannot listen on 127.0.0.1:{port} ({e.strerror}). "
            f"Is another server running there? Pick another port: PORT={port + 1} make serve",
            file=sys.stderr,
        )
        return 1
    print(f"Gossip Lab is being served at http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
