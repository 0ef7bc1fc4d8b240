"""A small pool of reused worker processes that render Markdown batches under a wall-clock budget.

Why processes: Python-Markdown is pure Python and some inputs make it run for seconds or recurse without end;
a thread cannot be stopped and SIGALRM works only in the main thread of the main interpreter (not in a web
worker thread), so the only dependable way to stop a runaway render is to kill the process doing it. Workers
are started once (spawn, ~0.3 s) and reused, one batch (a whole lesson with its questions) per round trip, so
a render costs a pipe round trip (well under a millisecond) instead of a process start; several workers let a
course's modules render in parallel. A worker that overruns its budget or dies is killed and replaced.

Using the engine from a script: `spawn` starts each worker by re-importing the script's main module, so a
script that calls `load_course` (or `check_tree`, `render_markdown`) at top level would call it again inside
every worker. Put such calls under `if __name__ == "__main__":`. Without the guard, a worker that finds itself
asked to start a pool stops at once (it recognises its own process name), and the caller gets a RuntimeError
ending in MAIN_GUARD_HINT instead of multiprocessing's bootstrapping error and a bare "did not start".
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from time import monotonic

BatchResult = tuple[str, ...] | str
"""The HTML of every text in a batch, in order, or (a str) the reason in Bahasa Indonesia why it failed."""

STARTUP_TIMEOUT = 60.0
MAIN_GUARD_HINT = (
    "the course engine renders in worker processes started with 'spawn', which re-import the main script; "
    'put the code that calls load_course, check_tree or render_markdown under `if __name__ == "__main__":`'
)
WORKER_NAME = "elearn-render"
_READY = "ready"


def _serve(connection: Connection) -> None:
    """Worker loop: render each received batch and send back ("ok", html list) or ("error", reason)."""
    from elearn.courses.pipeline import convert

    connection.send(_READY)
    while True:
        try:
            texts = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", [convert(text) for text in texts]))
        except RecursionError:
            connection.send(("error", "Markdown bersarang terlalu dalam untuk dirender"))


class _Worker:
    """One worker process and the batch it is working on."""

    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True, name=WORKER_NAME)
        self.process.start()
        child_end.close()
        self.ready = False
        self.job: int | None = None
        self.deadline = monotonic() + STARTUP_TIMEOUT

    @property
    def waiting(self) -> bool:
        """Whether an answer (ready signal or batch result) is expected from this worker."""
        return not self.ready or self.job is not None

    def stop(self) -> None:
        """Kill the process (it may be stuck in a render) and release its pipe."""
        self.process.kill()
        self.process.join()
        self.connection.close()


class RenderPool:
    """Up to `size` reused workers; `run` renders batches in parallel, each within `timeout` seconds."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()

    def run(self, batches: Sequence[Sequence[str]], *, timeout: float) -> list[BatchResult]:
        """Render every batch; a batch that overruns `timeout` or crashes its worker gets an error instead."""
        if multiprocessing.current_process().name == WORKER_NAME:
            raise RuntimeError(f"a render worker cannot render through its own pool: {MAIN_GUARD_HINT}")
        results: list[BatchResult | None] = [None for _ in batches]
        queue = deque(range(len(batches)))
        with self._lock:
            while queue or any(worker.job is not None for worker in self._workers):
                self._start_workers_for(len(queue))
                for worker in self._workers:
                    if worker.ready and worker.job is None and queue:
                        worker.job = queue.popleft()
                        worker.connection.send(list(batches[worker.job]))
                        worker.deadline = monotonic() + timeout
                self._collect(results, timeout)
        return [result for result in results if result is not None]

    def close(self) -> None:
        """Stop every worker (tests and shutdown hooks; the pool starts new ones on the next run)."""
        with self._lock:
            for worker in self._workers:
                worker.stop()
            self._workers.clear()

    def _start_workers_for(self, queued: int) -> None:
        """Start workers while queued batches outnumber the workers that will soon be free, up to `size`."""
        available = sum(1 for worker in self._workers if worker.job is None)
        while len(self._workers) < self.size and queued > available:
            self._workers.append(_Worker(self._context))
            available += 1

    def _collect(self, results: list[BatchResult | None], timeout: float) -> None:
        """Wait for the next answer or deadline, then record results and replace overrun or dead workers."""
        waiting = [worker for worker in self._workers if worker.waiting]
        if not waiting:
            return
        remaining = max(0.0, min(worker.deadline for worker in waiting) - monotonic())
        answered = set(wait([worker.connection for worker in waiting], timeout=remaining))
        for worker in waiting:
            if worker.connection in answered:
                self._receive(worker, results)
            elif monotonic() >= worker.deadline:
                self._discard(worker, results, f"perenderan melebihi batas waktu {timeout:g} detik")

    def _receive(self, worker: _Worker, results: list[BatchResult | None]) -> None:
        """Take one message from a worker: its ready signal or a batch result."""
        try:
            message = worker.connection.recv()
        except (EOFError, OSError):
            self._discard(worker, results, "proses perender berhenti tiba-tiba")
            return
        if not worker.ready:
            worker.ready = True
            return
        status, payload = message
        if worker.job is not None:
            results[worker.job] = tuple(payload) if status == "ok" else payload
        worker.job = None

    def _discard(self, worker: _Worker, results: list[BatchResult | None], reason: str) -> None:
        """Kill a stuck or dead worker; its batch fails with `reason` (a worker that never started: fatal)."""
        worker.stop()
        self._workers.remove(worker)
        if worker.job is None:
            raise RuntimeError(
                f"elearn render worker did not start ({reason}); if this runs from a script: {MAIN_GUARD_HINT}"
            )
        results[worker.job] = reason


_shared: tuple[int, RenderPool] | None = None
_shared_lock = threading.Lock()


def shared_pool() -> RenderPool:
    """The process-wide pool, recreated after a fork so a child never talks to its parent's workers."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared[0] != os.getpid():
            _shared = (os.getpid(), RenderPool(size=min(4, os.cpu_count() or 1)))
        return _shared[1]
