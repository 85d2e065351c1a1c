"""Memory of a process and all its descendants: resident sizes from ``ps``, proportional sizes from /proc (shared by
the benchmarks)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def family(pid: int) -> list[tuple[int, float, str]]:
    """``pid`` and its descendants: (pid, resident MB, command line)."""
    listing = subprocess.run(
        ["ps", "-o", "pid=,ppid=,rss=,args=", "-A"], capture_output=True, text=True
    ).stdout
    table = []
    for line in listing.splitlines():
        fields = line.split(None, 3)
        if len(fields) >= 3:
            table.append(
                (int(fields[0]), int(fields[1]), int(fields[2]), fields[3] if len(fields) > 3 else "")
            )
    members, grew = {pid}, True
    while grew:
        grew = False
        for child, parent, _, _ in table:
            if parent in members and child not in members:
                members.add(child)
                grew = True
    return [(child, rss / 1024, args) for child, _, rss, args in table if child in members]


def family_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants together, MB."""
    return sum(rss for _, rss, _ in family(pid))


def proportional_mb(pid: int) -> float:
    """``pid``'s proportional set size, MB: its private pages plus its share of pages shared with others
    (Linux; 0 when the process has gone)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    kilobytes = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return kilobytes / 1024


def family_memory_mb(pid: int) -> float:
    """Physical memory used by ``pid`` and its descendants together, MB: the sum of their proportional set
    sizes, which counts a page shared by forked processes once (summing resident sizes counts it in each)."""
    return sum(proportional_mb(member) for member, _, _ in family(pid))
