"""Run every benchmark in this folder (`make bench`): each prints its figures and its ratio to a
baseline measured in the same run. Pass names to run a subset: `python benchmarks/run.py triage`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    failures = 0
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"=== {name} ===", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], check=False)
        print(
            f"--- {name}: exit {proc.returncode}, {time.perf_counter() - start:.1f} s\n", flush=True
        )
        failures += proc.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
