"""A process's own resident memory, now and at its peak, on Linux, Windows and macOS; and
the garbage collector paused for a batch (:func:`collector_paused`).

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is wrong for a child: Linux carries the peak of
the process it was forked from across ``exec`` (every report child of the bench showed its
parent's 245 MB). ``VmHWM`` / ``VmRSS`` in ``/proc/self/status`` belong to the process's own
address space, made new by ``exec``; Windows has its own counters (``PeakWorkingSetSize``,
``WorkingSetSize``); macOS has no ``/proc`` and reports ``ru_maxrss`` in bytes (there the peak
stands in for "now").
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

MIB = 1024 * 1024


def peak_rss_mib() -> float:
    """The highest resident memory of this process so far."""
    return _measure("VmHWM:", "PeakWorkingSetSize")


def rss_mib() -> float:
    """The resident memory of this process now (its peak where the system has no "now")."""
    return _measure("VmRSS:", "WorkingSetSize")


def _measure(proc_field: str, windows_field: str) -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith(proc_field):
                return int(line.split()[1]) / 1024  # kB
    try:
        import resource  # POSIX only
    except ImportError:  # Windows
        return _windows_mib(windows_field)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MIB if sys.platform == "darwin" else peak / 1024


def _windows_mib(field: str) -> float:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            ("PeakWorkingSetSize", ctypes.c_size_t),
            ("WorkingSetSize", ctypes.c_size_t),
            ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
            ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
            ("PagefileUsage", ctypes.c_size_t),
            ("PeakPagefileUsage", ctypes.c_size_t),
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    windll = ctypes.windll  # type: ignore[attr-defined]
    process = windll.kernel32.GetCurrentProcess()
    if not windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):
        return float("nan")
    return int(getattr(counters, field)) / MIB


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one batch of rows is processed.

    A batch (an import, a bulk receipt) allocates several objects per row that all live until
    it ends; the collector would walk them again and again with nothing to free (it took half
    the validation time of 100,000 rows, and a quarter of a 100,000-row import). It is paused,
    not skipped: it runs again afterwards. Nested use is safe; process-wide, so a concurrent
    batch that finishes first leaves it paused until this one ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
