#!/usr/bin/env python3
"""notes-bot: a webhook chat bot that stores every message as a note, written from docs/bot-contract.md alone.

Python 3 standard library plus psycopg2 (Debian: python3-psycopg2). One file, no framework.

  v1  stores (update_id, chat_id, body)
  v2  also stores word_count (the column v2's expand adds and its contract makes NOT NULL)
  v3  adds #tags, with a bug: a message without a '#' fails (answered 500, so the platform redelivers it)

Which code path runs is chosen by the major version in BOT_VERSION, so one file serves every release.
"""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import psycopg2.pool


def fail(variable, why):
    print("notes-bot: invalid %s: %s" % (variable, why), file=sys.stderr, flush=True)
    sys.exit(2)


def config():
    env = os.environ
    for required in ("PORT", "BOT_VERSION", "BOT_SLOT", "DATABASE_URL"):
        if not env.get(required):
            fail(required, "not set")
    try:
        port = int(env["PORT"])
        major = int(env["BOT_VERSION"].split(".")[0])
    except ValueError:
        fail("PORT or BOT_VERSION", "not a number / not a version like 2.0.0")
    return port, major


PORT, MAJOR = config()
VERSION = os.environ["BOT_VERSION"]
SLOT = os.environ["BOT_SLOT"]
LABELS = 'version="%s",slot="%s"' % (VERSION, SLOT)


class Database:
    """A small pool, connected lazily: the bot starts (and says 503) even while the database is not there yet."""

    def __init__(self):
        self.pool = None
        self.lock = threading.Lock()

    def _pool(self):
        with self.lock:
            if self.pool is None:
                # the URL names no user or password: libpq reads PGUSER and PGPASSWORD, which Botshift sets
                self.pool = psycopg2.pool.ThreadedConnectionPool(
                    1, 4, os.environ["DATABASE_URL"], connect_timeout=3, application_name="notes-bot " + VERSION)
            return self.pool

    def run(self, work):
        """Runs work(cursor) in one transaction; a broken connection is thrown away, not returned to the pool."""
        pool = self._pool()
        conn = pool.getconn()
        broken = False
        try:
            with conn, conn.cursor() as cur:
                return work(cur)
        except psycopg2.OperationalError:
            broken = True
            raise
        finally:
            pool.putconn(conn, close=broken or conn.closed != 0)

    def close(self):
        with self.lock:
            if self.pool is not None:
                self.pool.closeall()


class Metrics:
    """The two counters of the contract, every series present from the start at 0."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {"ok": 0, "error": 0}
        self.handler_errors = {"2xx": 0, "5xx": 0}

    def count(self, outcome, answered=None):
        with self.lock:
            self.requests[outcome] += 1
            if answered:
                self.handler_errors[answered] += 1

    def text(self):
        with self.lock:
            lines = ["# HELP bot_requests_total Webhook requests by outcome.",
                     "# TYPE bot_requests_total counter"]
            lines += ['bot_requests_total{%s,outcome="%s"} %d' % (LABELS, o, n) for o, n in self.requests.items()]
            lines += ["# HELP bot_handler_errors_total Webhook requests whose handling failed, by what was answered.",
                      "# TYPE bot_handler_errors_total counter"]
            lines += ['bot_handler_errors_total{%s,answered="%s"} %d' % (LABELS, a, n)
                      for a, n in self.handler_errors.items()]
            return "\n".join(lines) + "\n"


class NotAnUpdate(Exception):
    pass


def parse(body):
    try:
        update = json.loads(body)
        message = update["message"]
        update_id = update["update_id"]
        chat_id = message["chat"]["id"]
        if not isinstance(update_id, int) or not isinstance(chat_id, int):
            raise NotAnUpdate("update_id and message.chat.id must be integers")
        text = message.get("text") or ""
        return update_id, chat_id, str(text)
    except (ValueError, KeyError, TypeError) as e:
        raise NotAnUpdate(str(e))


def store(update_id, chat_id, text):
    """Idempotent on update_id: a redelivery, to this version or another, adds nothing."""
    if MAJOR >= 3:
        text.split("#")[1].split()[0]  # the v3 bug, parsing the first #tag: no '#' in the text raises IndexError
    if MAJOR >= 2:
        words = len(text.split())
        sql, args = ("INSERT INTO notes (update_id, chat_id, body, word_count) VALUES (%s, %s, %s, %s)"
                     " ON CONFLICT (update_id) DO NOTHING", (update_id, chat_id, text, words))
    else:
        sql, args = ("INSERT INTO notes (update_id, chat_id, body) VALUES (%s, %s, %s)"
                     " ON CONFLICT (update_id) DO NOTHING", (update_id, chat_id, text))
    DB.run(lambda cur: cur.execute(sql, args))


DB = Database()
METRICS = Metrics()
DRAINING = threading.Event()


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so a drain never waits on an idle keep-alive connection
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass  # one line per request would drown the log; errors are printed below

    def answer(self, code, payload, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Botshift-Version", VERSION)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            if DRAINING.is_set():
                return self.answer(503, {"status": "draining"})
            try:
                DB.run(lambda cur: cur.execute("SELECT 1"))
                return self.answer(200, {"status": "ok"})
            except Exception:
                return self.answer(503, {"status": "database unavailable"})
        if self.path == "/metrics":
            return self.answer(200, METRICS.text().encode(), "text/plain; version=0.0.4; charset=utf-8")
        self.answer(404, {"ok": False, "error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            update_id, chat_id, text = parse(body)
        except NotAnUpdate as e:
            METRICS.count("error")  # the caller sent garbage: an error, not a handler error
            return self.answer(400, {"ok": False, "error": "not an update: %s" % e})
        try:
            store(update_id, chat_id, text)
        except Exception as e:
            METRICS.count("error", "5xx")
            print("notes-bot %s: update %d failed: %s" % (VERSION, update_id, type(e).__name__), flush=True)
            return self.answer(500, {"ok": False, "version": VERSION, "slot": SLOT})
        METRICS.count("ok")
        self.answer(200, {"ok": True, "version": VERSION, "slot": SLOT})


class Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for the requests in flight
    block_on_close = True


def main():
    server = Server(("127.0.0.1", PORT), Handler)

    def drain(signum, frame):
        DRAINING.set()  # health says 503 at once
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, drain)
    signal.signal(signal.SIGINT, drain)
    print("notes-bot %s (slot %s) listening on %d" % (VERSION, SLOT, PORT), flush=True)
    server.serve_forever(poll_interval=0.2)
    started = time.monotonic()
    server.server_close()  # joins the request threads: in-flight updates finish
    DB.close()
    print("notes-bot %s drained in %.2f s" % (VERSION, time.monotonic() - started), flush=True)


if __name__ == "__main__":
    main()
