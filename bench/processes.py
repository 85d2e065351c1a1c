"""Resident memory of a process and all its descendants, read from ``ps`` (shared by the benchmarks)."""

from __future__ import annotations

import subprocess


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
