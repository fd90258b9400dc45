#!/usr/bin/python3
"""python3-httpx as an HTTP/2 client for record-http.sh: with http1=False
httpx speaks HTTP/2 with prior knowledge over cleartext (no Upgrade), all
requests on one connection.

    /usr/bin/python3 httpx-client.py BASE-URL
"""
import sys

import httpx

base = sys.argv[1]
with httpx.Client(http1=False, http2=True) as c:
    for path in ("/file.txt", "/index.html"):
        r = c.get(base + path)
        print("GET", path, r.status_code, r.http_version, len(r.content), "octets")
    body = b"posted by httpx " * 320
    r = c.post(base + "/upload", content=body, headers={"content-type": "text/plain"})
    print("POST /upload", r.status_code, len(r.content), "octets back")
