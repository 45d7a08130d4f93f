#!/usr/bin/env python3
"""The image's HEALTHCHECK: GET /healthz on the port the server listens on ($CLINQA_PORT, read when the check
runs, so `-e CLINQA_PORT=8100` is followed). Exit 0 when it answers 200, 1 otherwise."""

import os
import sys
import urllib.request

host = os.environ.get("CLINQA_HOST", "0.0.0.0")
host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
if ":" in host:
    host = f"[{host}]"
url = f"http://{host}:{os.environ.get('CLINQA_PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # refused, timed out, 5xx: unhealthy
    print(f"{url}: {exc}", file=sys.stderr)
    sys.exit(1)
