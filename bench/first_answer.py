#!/usr/bin/env python3
"""Times a start of a server: from spawning it to the first 200 answer of
GET /healthz on the address it prints ("listening on http://HOST:PORT" on
standard error, which goes to --log). Then stops it with SIGTERM and waits.
Prints: seconds=S rss_kb=N (resident set size at the first answer).

  first_answer.py --log FILE [--timeout 30] -- COMMAND ARGS...

Exits 1 if the server exits or does not answer within the timeout.
"""

import argparse
import http.client
import re
import subprocess
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        p.error("no command")
    log = open(a.log, "wb")
    t0 = time.monotonic()
    server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    deadline = t0 + a.timeout
    url = None
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                sys.exit(f"first_answer.py: the server exited with status {server.returncode} (see {a.log})")
            if url is None:
                with open(a.log, "rb") as f:
                    m = re.search(rb"listening on http://([0-9.]+):([0-9]+)", f.read())
                if m:
                    url = (m.group(1).decode(), int(m.group(2)))
            if url is not None:
                try:
                    c = http.client.HTTPConnection(url[0], url[1], timeout=1)
                    c.request("GET", "/healthz")
                    if c.getresponse().status == 200:
                        seconds = time.monotonic() - t0
                        print(f"seconds={seconds:.3f} rss_kb={rss_kb(server.pid)}")
                        return
                except OSError:
                    pass
            time.sleep(0.001)
        sys.exit(f"first_answer.py: no answer from /healthz within {a.timeout:g} s (see {a.log})")
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
