"""Hostile clients for the webhook soak, run in a process of their own (as attackers are
elsewhere): ``python -m support.attacks slowloris PORT COUNT SECONDS`` or ``… bodies PORT
COUNT SIZE``. Each prints what it saw as one JSON line when done."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass

HEAD = b"POST /telegram/hook HTTP/1.1\r\nHost: bot.example.com\r\n"
# s: slowloris tools open a closed connection again on their next round; 0 makes it a flood.
REOPEN_AFTER = float(os.environ.get("KHABAR_SOAK_REOPEN", "1"))


@dataclass
class Slowloris:
    opened: int = 0
    cut_off: int = 0  # closed by the server
    failed: int = 0  # could not connect


async def slowloris(port: int, count: int, seconds: float) -> Slowloris:
    """``count`` connections, each sending half a request head and then a header line every
    2 s, opened again a second after the server closes one; for ``seconds`` or until
    SIGTERM."""
    stats = Slowloris()

    stop = asyncio.Event()

    async def one(n: int) -> None:
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                stats.failed += 1
                await asyncio.sleep(0.5)
                continue
            stats.opened += 1
            try:
                writer.write(HEAD)
                line = 0
                while not stop.is_set():
                    try:
                        if not await asyncio.wait_for(reader.read(1024), 2):
                            break
                    except TimeoutError:
                        writer.write(b"X-Slow-%d-%d: yes\r\n" % (n, line))
                        await writer.drain()
                        line += 1
            except OSError:
                pass
            finally:
                stats.cut_off += 1
                writer.close()
            await asyncio.sleep(REOPEN_AFTER)

    tasks = [asyncio.create_task(one(n)) for n in range(count)]
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=5)  # a cancellation lost in wait_for must not hang us
    return stats


async def big_body(port: int, size: int) -> tuple[int, str]:
    """Announce and stream ``size`` bytes without the secret: (bytes written, the answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(HEAD + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size)
    written, chunk = 0, b"x" * 1_000_000
    answer = asyncio.ensure_future(reader.read(64))
    try:
        while written < size and not answer.done():
            writer.write(chunk)
            await asyncio.wait_for(writer.drain(), 10)
            written += len(chunk)
        got = await asyncio.wait_for(answer, 10)
        status = got.split(b" ")[1].decode() if got else "closed"
    except (OSError, TimeoutError) as exc:
        status = type(exc).__name__
    finally:
        answer.cancel()
        with contextlib.suppress(OSError):
            writer.close()
    return written, status


async def bodies(port: int, count: int, size: int) -> dict[str, object]:
    results = await asyncio.gather(*(big_body(port, size) for _ in range(count)))
    return {
        "written": sum(w for w, _ in results),
        "answers": sorted({status for _, status in results}),
    }


def main() -> None:
    kind, port, count, amount = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if kind == "slowloris":
        result: object = asdict(asyncio.run(slowloris(port, count, float(amount))))
    else:
        result = asyncio.run(bodies(port, count, int(amount)))
    print(json.dumps(result), flush=True)
    os._exit(0)  # whatever is left (a socket mid-close) dies with the process


if __name__ == "__main__":
    main()
