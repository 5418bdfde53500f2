#!/usr/bin/env python3
"""A hey-like burst client for the harness: BURSTS times, open CONNS connections at once to
127.0.0.1:PORT and send REQS keep-alive requests on each (unique ?seed= per request); report
answered 200 / 503 / other / failed as one JSON line. Loopback only, bounded in count and time."""
import asyncio
import json
import sys
import time


async def one_conn(port, path, reqs, base, counts, deadline):
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    except Exception:
        counts["errors"] += 1
        return
    try:
        for i in range(reqs):
            writer.write(f"GET {path}{base + i} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), max(1, deadline - time.time()))
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await asyncio.wait_for(reader.readexactly(length), max(1, deadline - time.time()))
            key = str(status) if status in (200, 503) else "other"
            counts[key] += 1
            if b"connection: close" in head.lower():
                break
    except Exception:
        counts["errors"] += 1  # connection reset or timed out: its remaining requests count as unanswered
    finally:
        writer.close()


async def main(port, path, bursts, conns, reqs):
    counts = {"200": 0, "503": 0, "other": 0, "errors": 0}
    t0 = time.time()
    for b in range(bursts):
        deadline = time.time() + 120
        await asyncio.gather(*(one_conn(port, path, reqs, (b * conns + c) * 1000 + 10**9, counts, deadline)
                               for c in range(conns)))
    sent = bursts * conns * reqs
    answered = counts["200"] + counts["503"] + counts["other"]
    counts["unanswered"] = sent - answered
    counts["sent"] = sent
    counts["seconds"] = round(time.time() - t0, 2)
    print("RESULT " + json.dumps(counts))


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    bursts, conns, reqs = (int(x) for x in sys.argv[3:6])
    asyncio.run(main(port, path, bursts, conns, reqs))
