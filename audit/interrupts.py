"""Ctrl-C and SIGTERM: the first one stops the run, later ones cannot stop it from writing what it has.

- SIGTERM is handled like SIGINT (``KeyboardInterrupt``), so ``kill``, ``timeout`` and service managers
  get the same ``audit.json`` flagged "interrupted" and exit 130 as a Ctrl-C.
- The first signal raises ``KeyboardInterrupt`` where the run is; from then on the run is *stopping*:
  further signals (a second Ctrl-C, Ctrl-C to the whole process group, a SIGTERM after the SIGINT) are
  noted once on stderr and ignored until the command has written its capture and ``audit.json``.
- The browser pass runs in an event loop whose signal handlers cancel it cleanly
  (:func:`run_interruptible`): its ``finally`` blocks close the pages and the browser, then
  ``KeyboardInterrupt`` is raised, and nothing is left for a closed loop to trip over.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPING_NOTE = b"engage: already stopping: writing what was gathered first\n"

_state = {"stopping": False, "noted": False}


def stopping() -> bool:
    """True once the run was interrupted (it is winding down)."""
    return _state["stopping"]


def _stop_now() -> bool:
    """Enter the stopping state; False when already in it (the signal is then only noted)."""
    if _state["stopping"]:
        if not _state["noted"]:
            _state["noted"] = True
            with contextlib.suppress(OSError):
                os.write(2, STOPPING_NOTE)  # async-signal-safe, unlike the reporter's locks
        return False
    _state["stopping"] = True
    return True


def _on_signal(signum: int, frame: Any) -> None:
    if _stop_now():
        raise KeyboardInterrupt


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """For one command: SIGTERM as SIGINT, and only the first of them interrupts. Outside the main thread
    (nothing can be installed there) this does nothing. A SIGINT the parent set to be ignored stays
    ignored (``nohup``, a background job)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    _state.update(stopping=False, noted=False)
    for sig in SIGNALS:
        if previous[sig] is not signal.SIG_IGN or sig == signal.SIGTERM:
            signal.signal(sig, _on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _state.update(stopping=False, noted=False)


def run_interruptible(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, except that SIGINT and SIGTERM cancel ``coro`` — its ``finally`` blocks run
    (pages and the browser are closed) — and then raise ``KeyboardInterrupt``; more signals while it winds
    down are ignored. Whatever the cancelled coroutine raises while winding down (a browser that died with
    the Ctrl-C to the process group) is the interrupt, not a failure of its own."""
    loop = asyncio.new_event_loop()
    main = loop.create_task(coro)
    interrupted = False

    def on_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # After an interrupt the browser's driver may die with the process group's Ctrl-C: its pending
        # futures then fail with "Connection closed"; that is the interrupt, not news for the user. A
        # browser error nobody awaited (a pop-up closed as the page closed) is already a page's render
        # error; logged when the task is collected, it would land in whatever runs then.
        error = context.get("exception")
        if interrupted or type(error).__module__.startswith("playwright"):
            return
        loop.default_exception_handler(context)

    loop.set_exception_handler(on_error)

    def on_signal() -> None:
        nonlocal interrupted
        if _stop_now() and not interrupted:
            interrupted = True
            main.cancel()

    installed: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in SIGNALS:
            installed[sig] = signal.getsignal(sig)
            if installed[sig] is not signal.SIG_IGN or sig == signal.SIGTERM:
                loop.add_signal_handler(sig, on_signal)
    try:
        try:
            return loop.run_until_complete(main)
        except BaseException:
            if interrupted:
                raise KeyboardInterrupt from None
            raise
    finally:
        try:
            _cancel_all(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            for sig, handler in installed.items():
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(sig)
                signal.signal(sig, handler)
            loop.close()


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks left (as ``asyncio.run`` does) and let them finish."""
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
