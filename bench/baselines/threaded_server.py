#!/usr/bin/env python3
"""Baseline (a): a chat server written the way the course's students write it.

One thread per client, blocking sockets, one global lock around the member list, and the sender's own
thread calls sendall() on every other member's socket while holding the lock. It speaks only the
sliver of the canonical dialect the load generator uses (greeting, bare nick, /JOIN, plain lines).

Usage: python3 bench/baselines/threaded_server.py [--port 0]   (prints "listening on 127.0.0.1:<port>")
"""
import argparse
import socket
import threading

members = []  # sockets of clients that joined, with their nick and channel
lock = threading.Lock()


def handle(conn):
    nick = None
    channel = None
    me = None
    buffer = b""
    conn.sendall(b"HELLO threaded-python 1\n")
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                break
            buffer += data
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                if line == "":
                    continue
                if nick is None:
                    nick = line
                    conn.sendall(("OK WELCOME " + nick + "\n").encode())
                elif line.startswith("/JOIN "):
                    channel = line[6:]
                    me = (conn, nick, channel)
                    with lock:
                        members.append(me)
                    conn.sendall(("OK JOIN " + channel + " member\n").encode())
                else:
                    out = ("MSG " + channel + " " + nick + " " + line + "\n").encode()
                    with lock:
                        for other in members:
                            if other is not me:
                                try:
                                    other[0].sendall(out)
                                except OSError:
                                    pass
                    conn.sendall(("OK SAY " + channel + "\n").encode())
    except OSError:
        pass
    finally:
        with lock:
            if me in members:
                members.remove(me)
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((args.host, args.port))
    server.listen(128)
    host, port = server.getsockname()
    print("listening on %s:%d" % (host, port), flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
