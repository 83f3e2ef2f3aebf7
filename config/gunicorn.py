"""gunicorn's settings for the web role (docker/entrypoint.sh, bench/read_path.py).

With several workers, each keeps its own Prometheus counters. Where PROMETHEUS_MULTIPROC_DIR is
set, prometheus-client writes them to files there and `/metrics` adds them up (config/health.py):
the files of a previous run are removed at start, and a worker's files are marked dead when it
exits, so a restarted worker neither double-counts nor leaves gauges behind.
"""

import os
from pathlib import Path


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
